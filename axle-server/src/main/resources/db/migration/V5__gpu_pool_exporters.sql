-- A GPU pool may be learned from the `axle gpu exporter`s it is pointed at: their /metrics URLs, one a line.
-- Empty: a configured pool only. A pool learned from exporters alone stores 0 x 0 x 0 as its configured shape;
-- with both, the configured shape is the fallback when a scrape fails.
ALTER TABLE gpu_pools ADD COLUMN exporters VARCHAR(8000) DEFAULT '' NOT NULL;
