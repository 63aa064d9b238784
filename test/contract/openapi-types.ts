/**
 * Stand-in for the types openapi-typescript generates from the live document: the contract test
 * (openapi-types.e2e.spec.ts) writes the generated file under this name beside a copy of
 * sample-client.ts in a temporary directory and compiles the two there. This stub only lets the
 * repository's own type check read sample-client.ts.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- replaced by the generated types in the test */
export type paths = any;
export type components = any;
