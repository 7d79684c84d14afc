/** How often Prometheus scrapes DNS: short enough to see a 1-minute outage in a rate. */
export const SCRAPE_INTERVAL = '30s';
