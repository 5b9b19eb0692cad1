//! Through aws-config's and aws-sdk-sts's own code.
