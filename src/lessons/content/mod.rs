//! The text of the ten lessons and their quiz questions, one file per lesson. Each file holds a
//! `LESSON` and its `QUESTIONS`. Every sentence is written for Fairground; the topics follow
//! two responsible-AI interview guides the project was seeded with (not part of the repository).

pub mod lesson01_bias;
pub mod lesson02_definitions;
pub mod lesson03_impossibility;
pub mod lesson04_choosing;
pub mod lesson05_explainability;
pub mod lesson06_privacy_attacks;
pub mod lesson07_differential_privacy;
pub mod lesson08_federated;
pub mod lesson09_robustness;
pub mod lesson10_governance;
