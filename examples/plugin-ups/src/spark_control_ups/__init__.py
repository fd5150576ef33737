"""An example Spark Control plugin: a UPS watched through NUT's ``upsc`` on a node."""
