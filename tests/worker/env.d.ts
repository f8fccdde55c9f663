// Types for the workerd-only module the tests under tests/worker/ and *.worker.test.ts import.
// Declared here against our own structural binding types, so the project's single tsconfig (DOM
// lib) never loads @cloudflare/workers-types globals, which clash with DOM's Request/Response.
declare module 'cloudflare:test' {
  type WorkerEnv = import('../../src/entry/worker.ts').WorkerEnv;
  type ExecutionContextLike = import('../../src/entry/worker.ts').ExecutionContextLike;
  type ScheduledControllerLike = import('../../src/entry/worker.ts').ScheduledControllerLike;
  type KvNamespaceLike = import('../../src/drivers/storage/kv.ts').KvNamespaceLike;
  type R2Object = { readonly key: string; readonly uploaded: Date };
  type R2Body = R2Object & {
    text(): Promise<string>;
    json(): Promise<unknown>;
    arrayBuffer(): Promise<ArrayBuffer>;
  };
  type R2Bucket = {
    get(key: string): Promise<R2Body | null>;
    put(key: string, value: ArrayBuffer): Promise<unknown>;
    delete(keys: string | string[]): Promise<void>;
    list(options?: {
      prefix?: string;
      cursor?: string;
      limit?: number;
    }): Promise<{ objects: R2Object[]; truncated: boolean; cursor?: string }>;
  };
  type Kv = KvNamespaceLike & {
    put(key: string, value: ArrayBuffer): Promise<void>;
    list(options?: { prefix?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean }>;
  };

  /** The wrangler.toml bindings and vars, plus the KV namespace vitest.workers.config.ts adds. */
  export const env: Omit<WorkerEnv, 'FEEDS' | 'STATE'> & {
    readonly FEEDS: R2Bucket;
    readonly STATE: R2Bucket;
    readonly TEST_KV: Kv;
  };
  export const SELF: { fetch(input: string | Request, init?: RequestInit): Promise<Response> };
  export function reset(): Promise<void>;
  export function createExecutionContext(): ExecutionContextLike;
  export function waitOnExecutionContext(ctx: ExecutionContextLike): Promise<void>;
  export function createScheduledController(options?: {
    scheduledTime?: Date | number;
    cron?: string;
  }): ScheduledControllerLike;
}
