/**
 * Loaded by mocha before any test file (.mocharc.json "require"). Every test talks to the emulator
 * with its conventional key pair, so the whole run gets it once here. Per-file before/after hooks
 * that set and restore these variables raced each other: a describe-level `after` in one file
 * restored "unset" while another file's tests still needed the keys. Nothing reads ~/.aws or IMDS.
 */
process.env.AWS_ACCESS_KEY_ID = "test";
process.env.AWS_SECRET_ACCESS_KEY = "test";
delete process.env.AWS_SESSION_TOKEN;
delete process.env.AWS_PROFILE;
process.env.AWS_CONFIG_FILE = "/dev/null";
process.env.AWS_SHARED_CREDENTIALS_FILE = "/dev/null";
process.env.AWS_EC2_METADATA_DISABLED = "true";
