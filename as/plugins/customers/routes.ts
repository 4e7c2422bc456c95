import type { ServerRoute } from '@hapi/hapi';
import { callerOf } from '../../http/credentials';
import {
  contactIdParams,
  createCustomerPayload,
  customerIdParams,
  searchQuery,
  updateCustomerPayload,
} from './schemas';
import type { CustomerInput, CustomerSearch, CustomerService } from './service';

const PEOPLE = ['agent', 'supervisor', 'admin'];
const OVERSEERS = ['supervisor', 'admin'];

export function customerRoutes(service: CustomerService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/screen-pop/{contactId}',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'customers'],
        description:
          'Screen pop: the contact, its customer (by link, caller id or e-mail) and recent history',
        notes: 'Agents: only contacts offered to them, and only those in the history.',
        validate: { params: contactIdParams },
      },
      handler: async (request) => service.screenPop(request.params.contactId as string, callerOf(request)),
    },
    {
      method: 'GET',
      path: '/api/v1/customers',
      options: {
        auth: { access: { scope: OVERSEERS } },
        tags: ['api', 'customers'],
        description: 'Search customers by name prefix, phone number or e-mail address',
        validate: { query: searchQuery },
      },
      handler: async (request) => service.search(request.query as unknown as CustomerSearch),
    },
    {
      method: 'GET',
      path: '/api/v1/customers/{id}',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'customers'],
        description: 'One customer',
        notes: 'Agents: only customers linked to a contact offered to them.',
        validate: { params: customerIdParams },
      },
      handler: async (request) => service.get(request.params.id as string, callerOf(request)),
    },
    {
      method: 'POST',
      path: '/api/v1/customers',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'customers'],
        plugins: { 'ipcc-openapi': { success: 201 } },
        description: 'Create a customer, optionally linked to a contact',
        validate: { payload: createCustomerPayload },
      },
      handler: async (request, h) => {
        const { contactId, ...input } = request.payload as CustomerInput & { contactId?: string };
        return h.response(await service.create(input, callerOf(request), contactId)).code(201);
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/customers/{id}',
      options: {
        auth: { access: { scope: PEOPLE } },
        tags: ['api', 'customers'],
        plugins: { 'ipcc-openapi': { errors: [409] } },
        description: 'Update a customer (custom fields merge; null removes one)',
        notes: 'Agents: only customers linked to a contact offered to them.',
        validate: { params: customerIdParams, payload: updateCustomerPayload },
      },
      handler: async (request) =>
        service.update(request.params.id as string, request.payload as CustomerInput, callerOf(request)),
    },
  ];
}
