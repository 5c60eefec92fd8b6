# shellcheck shell=bash
# S3-compatible object store: versitygw (Apache-2.0) with its posix backend, on loopback.
# Object data are plain files under $S3_DIR/data; object metadata live in extended attributes.

S3_DIR=$RIFFLE_RUN_DIR/s3

s3_start() {
  rm -rf "$S3_DIR"
  mkdir -p "$S3_DIR/data" "$S3_DIR/versions"
  start_bg s3 "$VERSITYGW_BIN/versitygw" \
    --access "$S3_ACCESS_KEY" --secret "$S3_SECRET_KEY" --region "$S3_REGION" \
    --port "127.0.0.1:$S3_PORT" --health /health \
    posix "$S3_DIR/data"
}

s3_ready() { curl -fsS "http://127.0.0.1:$S3_PORT/health" >/dev/null; }

# s3_curl <curl-method-option> <path>: a SigV4-signed request with an empty body and the test credentials.
s3_curl() {
  local empty_sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
  curl -fsS "$1" --aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H "x-amz-content-sha256: $empty_sha256" "http://127.0.0.1:$S3_PORT$2"
}

s3_wait() {
  wait_ready s3 60 "s3 (http://127.0.0.1:$S3_PORT/health)" s3_ready
  if ! s3_curl --head "/$S3_BUCKET" >/dev/null 2>&1; then
    s3_curl -XPUT "/$S3_BUCKET" >/dev/null 2>"$S3_DIR/create-bucket.err" ||
      fail_start s3 "could not create bucket $S3_BUCKET: $(cat "$S3_DIR/create-bucket.err")"
    log "created bucket $S3_BUCKET"
  fi
}
