/**
 * Inter-rater reliability: Krippendorff's alpha (any raters, missing data, four levels of
 * measurement) and Fleiss' kappa (nominal, equal ratings per unit), over `data[unit][rater]`.
 */
export {
  checkReliabilityData,
  tallyUnits,
  type Rating,
  type ReliabilityData,
  type DataCheck,
  type Tally,
  type UnitTally,
} from './matrix.js';
export {
  krippendorffAlpha,
  alphaFromTally,
  coincidenceMatrix,
  ALPHA_LEVELS,
  ALPHA_DEFAULT_LEVEL,
  type AlphaLevel,
  type AlphaOptions,
  type AlphaResult,
  type CoincidenceMatrix,
} from './alpha.js';
export {
  fleissKappa,
  kappaFromTally,
  type FleissKappa,
  type FleissKappaResult,
  type KappaCategory,
} from './kappa.js';
