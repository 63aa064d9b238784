export * from './fixed-clock';
export * from './http-client';
export * from './test-app';
export * from './server-process';
