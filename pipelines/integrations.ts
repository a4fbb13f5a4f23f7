import { defineStream } from './defineStream.js';

/**
 * API connectors and credentials are listed by name and method only: the generated schema drops every
 * field that can hold a secret, and the shaper drops what the schema does not name.
 */
export const integrationStreams = [
  defineStream({ name: 'api_connectors', path: '/v2/api-connectors', primaryKeys: ['apiConnectorId'] }),
  defineStream({ name: 'api_credentials', path: '/v2/api-credentials', primaryKeys: ['apiCredentialId'] }),
  defineStream({ name: 'saml_service_providers', path: '/v2/saml/service-providers', primaryKeys: ['samlServiceProviderId'] }),
  defineStream({
    name: 'saml_certificates',
    path: '/v2/saml/service-providers/{samlServiceProviderId}/certificates',
    parent: 'saml_service_providers',
    primaryKeys: ['samlServiceProviderId', 'samlServiceProviderCertificateId'],
    replicationKey: 'updatedAt',
  }),
];
