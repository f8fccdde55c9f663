import { describeSourceContract } from './source-contract.ts';
import { upstreamWorld } from './upstream-fixtures.ts';

describeSourceContract('upstream feeds', () => upstreamWorld('feed'));
