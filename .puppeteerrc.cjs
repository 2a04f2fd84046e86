// memlab depends on puppeteer; its install step would download a browser, which this
// project never uses (memlab only analyses Node heap snapshots here). Skip it.
module.exports = { skipDownload: true };
