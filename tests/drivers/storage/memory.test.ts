import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import { describeStorageContract } from './contract.ts';

describeStorageContract('memory', () => createMemoryStorage());
