import { defineRegressionSuite } from './regression-suite.ts';

defineRegressionSuite('coredns-1.11.3');
