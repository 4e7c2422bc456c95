import type { ServerRoute } from '@hapi/hapi';
import { calledNumberParams, callerParams, fieldParams, formPayload, testCallParams } from './schemas';
import type { IvrDataService } from './service';

/** The IVR's service token carries role `ivr`; administrators may call these to test a flow. */
const IVR = ['ivr', 'admin'];

export function ivrRoutes(service: IvrDataService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/ivr/flows/{calledNumber}',
      options: {
        auth: { access: { scope: IVR } },
        tags: ['api', 'ivr'],
        description: 'The IVR flow for a called number',
        validate: { params: calledNumberParams },
      },
      handler: async (request) => service.flowFor(request.params.calledNumber as string),
    },
    {
      method: 'GET',
      path: '/api/v1/ivr/test-calls/{testCallId}',
      options: {
        // The IVR only: a test call's route carries the id; nobody else has a reason to read a draft here.
        auth: { access: { scope: ['ivr'] } },
        tags: ['api', 'ivr'],
        description: "The draft a flow editor's test call runs (404 once expired)",
        validate: { params: testCallParams },
      },
      handler: async (request) => service.testCallFlow(request.params.testCallId as string),
    },
    {
      method: 'GET',
      path: '/api/v1/ivr/callers/{number}',
      options: {
        auth: { access: { scope: IVR } },
        tags: ['api', 'ivr'],
        description: 'Caller lookup by number (any written form; normalised to E.164)',
        validate: { params: callerParams },
      },
      handler: async (request) => service.lookup(request.params.number as string),
    },
    {
      method: 'GET',
      path: '/api/v1/ivr/callers/{number}/data/{field}',
      options: {
        auth: { access: { scope: IVR } },
        tags: ['api', 'ivr'],
        description: "One account field of the caller's record, for a flow's data step",
        validate: { params: fieldParams },
      },
      handler: async (request) =>
        service.field(request.params.number as string, request.params.field as string),
    },
    {
      method: 'POST',
      path: '/api/v1/ivr/forms',
      options: {
        auth: { access: { scope: IVR } },
        tags: ['api', 'ivr'],
        plugins: { 'ipcc-openapi': { success: 201 } },
        description: "Form submission from a flow, stored on the contact's timeline",
        validate: { payload: formPayload },
      },
      handler: async (request, h) =>
        h
          .response(await service.submitForm(request.payload as Parameters<IvrDataService['submitForm']>[0]))
          .code(201),
    },
  ];
}
