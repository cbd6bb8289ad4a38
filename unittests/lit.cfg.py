# Runs every GoogleTest binary (named *Tests) under the build's unittests/.
import lit.formats

config.name = "bnn-unit"
config.test_format = lit.formats.GoogleTest(".", "Tests")
config.test_source_root = config.bnn_unittests_dir
config.test_exec_root = config.bnn_unittests_dir
