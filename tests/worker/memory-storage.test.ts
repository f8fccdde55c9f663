// The memory driver's contract run again, inside workerd: proof that the in-memory store (used by
// tests and one-shot runs) relies on nothing Node-specific.
import { createMemoryStorage } from '../../src/drivers/storage/memory.ts';
import { describeStorageContract } from '../drivers/storage/contract.ts';

describeStorageContract('memory (in workerd)', () => createMemoryStorage());
