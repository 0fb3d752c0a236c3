// Every legacy REST API the gateway serves: one RestApi table per documented API. Adding an API is
// one import and one entry here, e.g.
//   import { techcorpV2 } from './techcorp-v2/index.js';
//   export const restApis: RestApi[] = [techcorpV2];
import type { RestApi } from './RestRoute.js';
import { techcorpV2 } from './techcorp-v2/index.js';
import { techcorpCloudV2 } from './techcorp-cloud-v2/index.js';
import { cloudPioneerRootWebhooks, cloudPioneerV1 } from './cloudpioneer-v1/index.js';
import { secureAuthV1 } from './secureauth/index.js';

export const restApis: RestApi[] = [techcorpV2, techcorpCloudV2, cloudPioneerV1, cloudPioneerRootWebhooks, secureAuthV1];
