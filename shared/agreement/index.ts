export * from './measure';
export * from './spanF1';
export * from './kappa';
export * from './alpha';
export * from './unitizing';
export * from './tokens';
