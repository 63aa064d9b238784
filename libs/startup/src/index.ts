export * from './store-config';
export * from './open-store';
