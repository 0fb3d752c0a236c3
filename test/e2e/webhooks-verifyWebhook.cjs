// Seed 003's `verifyWebhook` ("Verifying Webhook Signatures"), verbatim; only the export is added.
const crypto = require('crypto');

function verifyWebhook(rawBody, signature, secret) {
  const expected = crypto
    .createHmac('sha256', secret)
    .update(rawBody)
    .digest('hex');

  return crypto.timingSafeEqual(
    Buffer.from(signature),
    Buffer.from(`sha256=${expected}`)
  );
}

module.exports = { verifyWebhook };
