import { defineStream } from './defineStream.js';
import { CHANGES_ON_ITS_OWN, NO_TIMESTAMP, OWN_UPDATED_AT, everyRun } from './replication.js';

/** Admin only: tenant organizations and deployment policies of an embedding parent organization. */
export const tenantStreams = [
  defineStream({ name: 'tenants', path: '/v2/tenants', primaryKeys: ['tenantOrganizationId'], replicationKey: 'updatedAt', replicationReason: OWN_UPDATED_AT }),
  defineStream({
    name: 'tenant_deployment_capabilities',
    path: '/v2/tenants/{tenantOrganizationId}/capabilities/deployments',
    parent: 'tenants',
    // The entries carry their own tenantOrganizationId, so the parent's goes under another name.
    context: (tenant) => (typeof tenant['tenantOrganizationId'] === 'string' ? { tenantOrganizationId: tenant['tenantOrganizationId'], sourceTenantOrganizationId: tenant['tenantOrganizationId'] } : null),
    contextKeys: ['sourceTenantOrganizationId'],
    primaryKeys: ['sourceTenantOrganizationId', 'tenantOrganizationId'],
    replicationReason: NO_TIMESTAMP,
    refresh: everyRun(`a deployment capability ${CHANGES_ON_ITS_OWN}`),
  }),
  defineStream({ name: 'deployment_policies', path: '/v2/deploymentPolicies', primaryKeys: ['deploymentPolicyId'], replicationReason: NO_TIMESTAMP }),
  defineStream({ name: 'deployment_policy_files', path: '/v2/deploymentPolicies/{deploymentPolicyId}/files', parent: 'deployment_policies', primaryKeys: ['deploymentPolicyId', 'inodeId'], replicationReason: NO_TIMESTAMP, refresh: everyRun('the policy has no timestamp to follow') }),
  defineStream({
    name: 'deployment_policy_tenants',
    path: '/v2/deploymentPolicies/{deploymentPolicyId}/tenants',
    parent: 'deployment_policies',
    scalarEntryKey: 'tenantOrganizationId',
    primaryKeys: ['deploymentPolicyId', 'tenantOrganizationId'],
    replicationReason: NO_TIMESTAMP,
    refresh: everyRun('the policy has no timestamp to follow'),
  }),
  defineStream({ name: 'deployable_tenants', path: '/v2/deploymentPolicies/tenants', primaryKeys: ['tenantOrganizationId'], replicationReason: NO_TIMESTAMP }),
];
