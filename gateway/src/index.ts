export { startGateway } from './main';
export { loadGatewayConfig, type GatewayConfig } from './config';
export { composeSupergraph } from './compose';
export { SUBGRAPHS, SUPERGRAPH_PATH } from './subgraphs';
