/**
 * Fetch port: how the core reaches remote sources. A WHATWG-fetch-shaped function so the
 * Node driver (undici, with timeouts and SSRF guards) and the Worker's global fetch fit alike.
 * Must not: be called from the Hono app while serving.
 */
export type HttpFetch = (url: string, init?: RequestInit) => Promise<Response>;
