import { describeSourceContract } from './source-contract.ts';
import { upstreamWorld } from './upstream-fixtures.ts';

describeSourceContract('article URLs', () => upstreamWorld('article'));
