# Shell helpers shared by the init scripts (sourced, not run).
log() {
	echo "$(basename "$0"): $*" > /dev/console
}
