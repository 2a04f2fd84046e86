import { defineRegressionSuite } from './regression-suite.ts';

defineRegressionSuite('coredns-1.10.0');
