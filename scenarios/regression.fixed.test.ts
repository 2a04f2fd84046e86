import { defineRegressionSuite } from './regression-suite.ts';

defineRegressionSuite('fixed');
