import { defineStream } from './defineStream.js';
import { CHANGES_ON_ITS_OWN, NO_TIMESTAMP, everyRun } from './replication.js';

/**
 * API connectors and credentials are listed by name and method only: the generated schema drops every
 * field that can hold a secret, and the shaper drops what the schema does not name.
 */
export const integrationStreams = [
  defineStream({ name: 'api_connectors', path: '/v2/api-connectors', primaryKeys: ['apiConnectorId'], replicationReason: `${NO_TIMESTAMP} in the list` }),
  defineStream({ name: 'api_credentials', path: '/v2/api-credentials', primaryKeys: ['apiCredentialId'], replicationReason: `${NO_TIMESTAMP} in the list` }),
  defineStream({ name: 'saml_service_providers', path: '/v2/saml/service-providers', primaryKeys: ['samlServiceProviderId'], replicationReason: NO_TIMESTAMP }),
  defineStream({
    name: 'saml_certificates',
    path: '/v2/saml/service-providers/{samlServiceProviderId}/certificates',
    parent: 'saml_service_providers',
    primaryKeys: ['samlServiceProviderId', 'samlServiceProviderCertificateId'],
    replicationKey: 'updatedAt',
    replicationReason: 'INCREMENTAL on updatedAt: a certificate is an object of its own, whose updatedAt moves when it is edited',
    refresh: everyRun(`a certificate ${CHANGES_ON_ITS_OWN}`),
  }),
];
