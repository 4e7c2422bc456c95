import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../../http/credentials';
import { numberParams, scheduleParams, schedulePayload } from './schemas';
import type { HoursService, ScheduleInput } from './service';

/** Administrators change schedules; supervisors read them; the IVR's token reads them over interface D. */
export function hoursRoutes(service: HoursService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/business-hours',
      options: {
        auth: { access: { scope: ['supervisor', 'admin'] } },
        tags: ['api', 'admin'],
        description: 'All business-hours schedules, each with whether it is open now',
      },
      handler: async () => service.list(),
    },
    {
      method: 'GET',
      path: '/api/v1/business-hours/{name}',
      options: {
        auth: { access: { scope: ['supervisor', 'admin'] } },
        tags: ['api', 'admin'],
        description: 'One business-hours schedule',
        validate: { params: scheduleParams },
      },
      handler: async (request) => service.get(request.params.name as string),
    },
    {
      method: 'POST',
      path: '/api/v1/business-hours',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 201, errors: [409] } },
        description: 'Create a business-hours schedule (audited; CTI and the IVR apply it on the next call)',
        validate: { payload: schedulePayload },
      },
      handler: async (request, h) =>
        h.response(await service.create(request.payload as ScheduleInput, callerOf(request))).code(201),
    },
    {
      method: 'PUT',
      path: '/api/v1/business-hours/{name}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { errors: [409] } },
        description: 'Replace a business-hours schedule (audited); its name cannot change (409)',
        validate: { params: scheduleParams, payload: schedulePayload },
      },
      handler: async (request) =>
        service.replace(request.params.name as string, request.payload as ScheduleInput, callerOf(request)),
    },
    {
      method: 'DELETE',
      path: '/api/v1/business-hours/{name}',
      options: {
        auth: { access: { scope: ['admin'] } },
        tags: ['api', 'admin'],
        plugins: { 'ipcc-openapi': { success: 204, errors: [409] } },
        description: 'Delete a business-hours schedule (audited); refused while a flow uses it',
        validate: { params: scheduleParams },
      },
      handler: async (request, h) => {
        await service.remove(request.params.name as string, callerOf(request));
        return h.response().code(204);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/ivr/hours/{name}',
      options: {
        auth: { access: { scope: ['ivr', 'admin'] } },
        tags: ['api', 'ivr'],
        description: "A schedule as the IVR evaluates it (a flow's hours node)",
        validate: { params: scheduleParams },
      },
      handler: async (request) => service.forIvr(request.params.name as string),
    },
    {
      method: 'GET',
      path: '/api/v1/ivr/numbers/{number}/hours',
      options: {
        auth: { access: { scope: ['ivr', 'admin'] } },
        tags: ['api', 'ivr'],
        description: 'The schedule gating a called number (404: none)',
        validate: { params: numberParams },
      },
      handler: async (request) => service.forNumber(request.params.number as string),
    },
  ];
}
