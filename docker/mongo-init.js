// Run once by the mongo image on an empty data directory, as the root user (ipcc_ops): each service
// gets a user of its own in the ipcc database, with the password from the env file. SoftACD and the
// IVR do not use the store.
const ipcc = db.getSiblingDB('ipcc');
for (const [user, variable] of [
  ['ipcc_cti', 'DOCSTORE_PASSWORD_CTI'],
  ['ipcc_as', 'DOCSTORE_PASSWORD_AS'],
]) {
  ipcc.createUser({ user, pwd: process.env[variable], roles: [{ role: 'readWrite', db: 'ipcc' }] });
}
