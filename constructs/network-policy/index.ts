export * from './ingress-policy';
