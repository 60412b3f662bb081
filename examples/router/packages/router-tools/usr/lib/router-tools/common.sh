# Shared helpers for router-tools.
wan_device() {
    sed -n "s/^[[:space:]]*option device '\(.*\)'/\1/p" /etc/config/network | tail -n 1
}

show_addresses() {
    ip -o addr show dev "$1" 2>/dev/null || echo "no address on $1"
}
