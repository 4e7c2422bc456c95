import winston from 'winston';

/**
 * One JSON logger per process. Every line names the process (`service`) and its instance, and any line
 * about a call or task carries `contactId` through a child logger, so one grep follows a contact across
 * SoftACD, CTI, IVR and AS logs.
 */
export type Logger = winston.Logger;

export function createLogger(service: string, instanceId: string): Logger {
  return winston.createLogger({
    level: process.env.LOG_LEVEL ?? 'info',
    defaultMeta: { service, instance: instanceId },
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json(),
    ),
    transports: [new winston.transports.Console()],
  });
}

export function contactLogger(log: Logger, contactId: string): Logger {
  return log.child({ contactId });
}

/** Text of an unknown thrown value, for log lines and dead-letter reasons. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
