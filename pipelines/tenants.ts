import { defineStream } from './defineStream.js';

/** Admin only: tenant organizations and deployment policies of an embedding parent organization. */
export const tenantStreams = [
  defineStream({ name: 'tenants', path: '/v2/tenants', primaryKeys: ['tenantOrganizationId'], replicationKey: 'updatedAt' }),
  defineStream({
    name: 'tenant_deployment_capabilities',
    path: '/v2/tenants/{tenantOrganizationId}/capabilities/deployments',
    parent: 'tenants',
    // The entries carry their own tenantOrganizationId, so the parent's goes under another name.
    context: (tenant) => (typeof tenant['tenantOrganizationId'] === 'string' ? { tenantOrganizationId: tenant['tenantOrganizationId'], sourceTenantOrganizationId: tenant['tenantOrganizationId'] } : null),
    contextKeys: ['sourceTenantOrganizationId'],
    primaryKeys: ['sourceTenantOrganizationId', 'tenantOrganizationId'],
  }),
  defineStream({ name: 'deployment_policies', path: '/v2/deploymentPolicies', primaryKeys: ['deploymentPolicyId'] }),
  defineStream({ name: 'deployment_policy_files', path: '/v2/deploymentPolicies/{deploymentPolicyId}/files', parent: 'deployment_policies', primaryKeys: ['deploymentPolicyId', 'inodeId'] }),
  defineStream({
    name: 'deployment_policy_tenants',
    path: '/v2/deploymentPolicies/{deploymentPolicyId}/tenants',
    parent: 'deployment_policies',
    scalarEntryKey: 'tenantOrganizationId',
    primaryKeys: ['deploymentPolicyId', 'tenantOrganizationId'],
  }),
  defineStream({ name: 'deployable_tenants', path: '/v2/deploymentPolicies/tenants', primaryKeys: ['tenantOrganizationId'] }),
];
