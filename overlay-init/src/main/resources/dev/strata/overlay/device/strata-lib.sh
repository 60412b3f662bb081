# shellcheck shell=sh
# shellcheck disable=SC2034 # cfg_* and st_* results are read by the scripts that source this file
# strata-lib.sh: the overlay root shared by the in-root /sbin/strata-init (OpenWrt style) and the
# initramfs /init (OpenELEC style). POSIX sh for busybox ash. Sourced, never run.
#
# Layout of a data volume:
#   upper/ work/             the overlay's upper and work directories
#   .strata/state            "pending" until a fresh upper has completed its first boot, then "ready"
#   .strata/reset            a scheduled factory reset: one kept path per line, or "hard"
#   .strata/upper.new        a reset's new upper (kept paths only), renamed to upper/ when complete
#   .strata/trash/           old uppers, moved here by one rename() and deleted after the mount
# The rename of upper/ into the trash is the commit point of a reset: before it the old upper is
# whole, after it the new one is complete, so power loss at any moment leaves one or the other.

ST_CONF=${ST_CONF:-/etc/strata/overlay.conf}
ST_CMDLINE=${ST_CMDLINE:-/proc/cmdline}
ST_RUN=${ST_RUN:-/run/strata}
ST_MODULES=${ST_MODULES:-/etc/strata/modules}
st_status_keys=
st_s_upper=
st_boot_dir=
st_root_locator=

# --- configuration ----------------------------------------------------------------------------

st_config_defaults() {
	cfg_style=in-root
	cfg_mode=persistent
	cfg_data=rootdisk
	cfg_fs=ext4
	cfg_boot=
	cfg_lower=
	cfg_keep=
	cfg_reset_triggers=cmdline,command
	cfg_reset_flag=/strata-reset
	cfg_init=/sbin/init
	cfg_timeout=10
	cfg_ready=boot
	cfg_tmpfs_size=
	cfg_reset=
	cfg_root=
	cfg_rootfstype=
	cfg_crash_at=
}

# st_config_set KEY VALUE SOURCE: SOURCE "file" appends to lists, "cmdline" replaces them
# (comma-separated there). Unknown keys are reported and ignored, never fatal.
st_config_set() {
	case $1 in
	style) cfg_style=$2 ;;
	mode) cfg_mode=$2 ;;
	data) cfg_data=$2 ;;
	fs) cfg_fs=$2 ;;
	boot) cfg_boot=$2 ;;
	lower | keep)
		if [ "$3" = cmdline ]; then
			_v=$(printf '%s' "$2" | tr ',' ' ')
		else
			eval "_v=\"\$cfg_$1 $2\""
		fi
		eval "cfg_$1=\$_v"
		;;
	reset_triggers) cfg_reset_triggers=$2 ;;
	reset_flag) cfg_reset_flag=$2 ;;
	init) cfg_init=$2 ;;
	timeout) cfg_timeout=$2 ;;
	ready) cfg_ready=$2 ;;
	tmpfs_size) cfg_tmpfs_size=$2 ;;
	reset) cfg_reset=$2 ;;
	crash_at) cfg_crash_at=$2 ;;
	*) st_log "ignoring unknown setting '$1' from $3" ;;
	esac
}

st_config_load() {
	[ -r "$1" ] || return 0
	while IFS= read -r _line || [ -n "$_line" ]; do
		case $_line in '' | '#'*) continue ;; esac
		st_config_set "${_line%%=*}" "${_line#*=}" file
	done <"$1"
}

# Applies strata.KEY=VALUE words; also notes root= and rootfstype= for the rootdisk volume.
st_cmdline_load() {
	[ -r "$1" ] || return 0
	set -f
	# shellcheck disable=SC2013 # the kernel command line is one line of words
	for _w in $(cat "$1"); do
		case $_w in
		strata.*=*)
			_w=${_w#strata.}
			st_config_set "${_w%%=*}" "${_w#*=}" cmdline
			;;
		root=*) cfg_root=${_w#root=} ;;
		rootfstype=*) cfg_rootfstype=${_w#rootfstype=} ;;
		esac
	done
	set +f
}

st_config_all() {
	st_config_defaults
	st_config_load "$ST_CONF"
	st_cmdline_load "$ST_CMDLINE"
	case $cfg_timeout in '' | *[!0-9]*) cfg_timeout=10 ;; esac
}

st_has_trigger() {
	case ",$cfg_reset_triggers," in *",$1,"*) return 0 ;; esac
	return 1
}

# --- logging and status -----------------------------------------------------------------------

st_log() {
	printf 'strata: %s\n' "$*" >&2
	[ -d "$ST_RUN" ] && printf '%s\n' "$*" >>"$ST_RUN/log"
	return 0
}

# st_status KEY VALUE: records one fact for /run/strata/status (kept in shell variables until
# st_status_write, because /run may not be mounted yet).
st_status() {
	eval "st_s_$1=\$2"
	case " $st_status_keys " in *" $1 "*) ;; *) st_status_keys="$st_status_keys $1" ;; esac
}

st_status_write() {
	mkdir -p "$ST_RUN" || return 1
	: >"$ST_RUN/status.tmp"
	for _k in $st_status_keys; do
		eval "_v=\$st_s_$_k"
		printf '%s=%s\n' "$_k" "$_v" >>"$ST_RUN/status.tmp"
	done
	mv -f "$ST_RUN/status.tmp" "$ST_RUN/status"
}

# Falls back to a tmpfs upper: the device still boots, and says why.
st_fallback() {
	st_log "FALLBACK to a tmpfs upper: $*"
	st_status state fallback
	st_status reason "$*"
}

# --- devices ----------------------------------------------------------------------------------

# st_hex DEV OFFSET LEN: LEN bytes at OFFSET as lowercase hex, no spaces.
st_hex() {
	dd if="$1" bs=1 skip="$2" count="$3" 2>/dev/null | od -An -tx1 | tr -d ' \n'
}

# st_bytes DEV OFFSET LEN: the bytes at OFFSET as space-separated lowercase hex pairs.
st_bytes() {
	dd if="$1" bs=1 skip="$2" count="$3" 2>/dev/null | od -An -tx1 -v
}

# st_le DEV OFFSET LEN: little-endian unsigned integer (up to 8 bytes).
st_le() {
	_n=0
	_m=1
	for _b in $(st_bytes "$1" "$2" "$3"); do
		_n=$((_n + 0x$_b * _m))
		_m=$((_m * 256))
	done
	echo "$_n"
}

# The PARTUUID the kernel would give a partition: MBR "SSSSSSSS-NN", GPT the entry's unique GUID.
st_partuuid_of() {
	_sys=/sys/class/block/$1
	[ -r "$_sys/partition" ] || return 1
	_pn=$(cat "$_sys/partition")
	_disk=$(basename "$(dirname "$(readlink -f "$_sys")")")
	_dev=/dev/$_disk
	[ -b "$_dev" ] || return 1
	if [ "$(st_hex "$_dev" 450 1)" = ee ]; then
		_ss=$(cat "/sys/block/$_disk/queue/logical_block_size" 2>/dev/null || echo 512)
		_lba=$(st_le "$_dev" $((_ss + 72)) 8)
		_esz=$(st_le "$_dev" $((_ss + 84)) 4)
		# shellcheck disable=SC2046 # 16 hex pairs, split on purpose
		set -- $(st_bytes "$_dev" $((_lba * _ss + (_pn - 1) * _esz + 16)) 16)
		[ $# -eq 16 ] || return 1
		printf '%s%s%s%s-%s%s-%s%s-%s%s-%s%s%s%s%s%s\n' "$4" "$3" "$2" "$1" "$6" "$5" "$8" "$7" \
			"$9" "${10}" "${11}" "${12}" "${13}" "${14}" "${15}" "${16}"
	else
		# shellcheck disable=SC2046
		set -- $(st_bytes "$_dev" 440 4)
		[ $# -eq 4 ] || return 1
		printf '%s%s%s%s-%02x\n' "$4" "$3" "$2" "$1" "$_pn"
	fi
}

st_lower() {
	printf '%s' "$1" | tr 'ABCDEF' 'abcdef'
}

# st_find_part KIND VALUE: a partition by PARTUUID or PARTLABEL, from sysfs and the partition table.
st_find_part() {
	_want=$(st_lower "$2")
	for _p in /sys/class/block/*; do
		[ -r "$_p/partition" ] || continue
		_name=${_p##*/}
		if [ "$1" = PARTUUID ]; then
			_got=$(st_partuuid_of "$_name" 2>/dev/null) || continue
			[ "$(st_lower "$_got")" = "$_want" ] || continue
		else
			_got=$(sed -n 's/^PARTNAME=//p' "$_p/uevent" 2>/dev/null)
			[ "$_got" = "$2" ] || continue
		fi
		echo "/dev/$_name"
		return 0
	done
	return 1
}

# st_find_tag TAG=VALUE: LABEL= or UUID= of a filesystem (blkid when present, else busybox findfs).
st_find_tag() {
	if command -v blkid >/dev/null 2>&1; then
		blkid -l -o device -t "$1" 2>/dev/null && return 0
	fi
	findfs "$1" 2>/dev/null
}

# st_resolve LOCATOR: the device path, once; fails when it is not there (yet).
st_resolve() {
	case $1 in
	/dev/*) [ -b "$1" ] || [ -c "$1" ] && echo "$1" ;;
	PARTUUID=*) st_find_part PARTUUID "${1#PARTUUID=}" ;;
	PARTLABEL=*) st_find_part PARTLABEL "${1#PARTLABEL=}" ;;
	LABEL=* | UUID=*) st_find_tag "$1" ;;
	*) return 1 ;;
	esac
}

# st_wait_device LOCATOR: resolves it, waiting up to cfg_timeout seconds; never forever.
st_wait_device() {
	_t=0
	while :; do
		_d=$(st_resolve "$1") && [ -n "$_d" ] && {
			echo "$_d"
			return 0
		}
		[ "$_t" -ge $((cfg_timeout * 4)) ] && return 1
		sleep 0.25 2>/dev/null || sleep 1
		_t=$((_t + 1))
	done
}

st_size() {
	blockdev --getsize64 "$1" 2>/dev/null || wc -c <"$1"
}

# st_probe DEV: what the start of a data volume holds:
#   ext4 f2fs jffs2 ubi squashfs - a filesystem (squashfs is never formatted over)
#   deadc0de - OpenWrt's "format me" marker     empty - all 0x00 or all 0xff (erased flash)
#   gzip - an OpenWrt saved configuration     unknown - something else: never formatted over
st_probe() {
	_h=$(st_hex "$1" 0 4)
	case $_h in
	deadc0de) echo deadc0de && return ;;
	68737173) echo squashfs && return ;;
	55424923) echo ubi && return ;;
	8519* | 1985*) echo jffs2 && return ;;
	1f8b*) echo gzip && return ;;
	esac
	[ "$(st_hex "$1" 1080 2)" = 53ef ] && echo ext4 && return
	[ "$(st_hex "$1" 1024 4)" = 1020f5f2 ] && echo f2fs && return
	_n=$(st_size "$1")
	[ "$_n" -gt 65536 ] && _n=65536
	if cmp -s -n "$_n" "$1" /dev/zero; then
		echo empty
	elif tr '\000' '\377' </dev/zero | cmp -s -n "$_n" "$1" -; then
		echo empty
	else
		echo unknown
	fi
}

# st_rootdisk_offset DEV: where the space after the squashfs on DEV starts (bytes_used rounded up
# to 64 KiB, OpenWrt's rootdisk rule), or fails when DEV holds no squashfs.
st_rootdisk_offset() {
	[ "$(st_hex "$1" 0 4)" = 68737173 ] || return 1
	_used=$(st_le "$1" 40 8)
	echo $(((_used + 65535) / 65536 * 65536))
}

# st_loop_attach FILE OFFSET [ro]: a loop device over FILE from OFFSET.
st_loop_attach() {
	_ro=
	[ "$3" = ro ] && _ro=-r
	for _try in 1 2 3; do
		_l=$(losetup -f 2>/dev/null) || return 1
		# shellcheck disable=SC2086 # _ro is empty or one flag
		if losetup $_ro -o "$2" "$_l" "$1" 2>/dev/null; then
			echo "$_l"
			return 0
		fi
		[ "$_try" ] # another attach raced us for that device: take the next one
	done
	return 1
}

# --- formatting -------------------------------------------------------------------------------

st_have() {
	command -v "$1" >/dev/null 2>&1
}

# st_format DEV FS: makes an empty data filesystem; fails when the image has no tool for it.
st_format() {
	case $2 in
	ext4 | ext2 | f2fs)
		# busybox mke2fs leaves the first KiB alone: a 0xdeadc0de marker there would outlive the
		# format and have the next boot format again, so the probe window is cleared first
		dd if=/dev/zero of="$1" bs=65536 count=1 conv=notrunc 2>/dev/null
		;;
	esac
	case $2 in
	ext4)
		if st_have mkfs.ext4; then
			mkfs.ext4 -q -F -L strata-data "$1" >/dev/null 2>&1
		elif st_have mke2fs && mke2fs -V 2>&1 | grep -q E2fsprogs; then
			mke2fs -q -F -t ext4 -L strata-data "$1" >/dev/null 2>&1
		else
			st_log "no mkfs.ext4 in the image"
			return 1
		fi
		;;
	ext2)
		if st_have mkfs.ext2; then
			mkfs.ext2 -q -F -L strata-data "$1" >/dev/null 2>&1
		elif st_have mke2fs; then
			mke2fs -F -L strata-data "$1" >/dev/null 2>&1
		else
			return 1
		fi
		;;
	f2fs) st_have mkfs.f2fs && mkfs.f2fs -q -f -l strata-data "$1" >/dev/null 2>&1 ;;
	jffs2) st_have flash_erase && flash_erase -q -j "$1" 0 0 ;;
	*)
		st_log "cannot format $2"
		return 1
		;;
	esac
}

# st_mount_data DEV DIR FSHINT: mounts a probed volume read-write.
st_mount_data() {
	case $3 in
	ext4 | ext2) _types="ext4 ext2" ;;
	*) _types=$3 ;;
	esac
	for _t in $_types; do
		mount -t "$_t" -o rw,noatime "$1" "$2" 2>/dev/null && return 0
	done
	return 1
}

# --- the data volume --------------------------------------------------------------------------

# st_data_device: resolves cfg_data to a block device (attaching a loop device for rootdisk),
# sets st_data_dev; fails with st_data_why set.
st_data_device() {
	st_data_dev=
	case $cfg_data in
	rootdisk | rootdisk:*)
		_root=${cfg_data#rootdisk}
		_root=${_root#:}
		[ -n "$_root" ] || _root=${st_root_locator:-$cfg_root}
		if [ -z "$_root" ]; then
			st_data_why="rootdisk: no root device known (root= missing from the kernel command line)"
			return 1
		fi
		_rdev=$(st_wait_device "$_root") || {
			st_data_why="rootdisk: root device $_root not found within ${cfg_timeout}s"
			return 1
		}
		_off=$(st_rootdisk_offset "$_rdev") || {
			st_data_why="rootdisk: $_rdev holds no squashfs"
			return 1
		}
		_size=$(st_size "$_rdev")
		if [ $((_size - _off)) -lt 1048576 ]; then
			st_data_why="rootdisk: only $((_size - _off)) bytes after the squashfs on $_rdev (at $_off)"
			return 1
		fi
		st_data_dev=$(st_loop_attach "$_rdev" "$_off") || {
			st_data_why="rootdisk: cannot attach a loop device to $_rdev at offset $_off"
			return 1
		}
		st_log "data volume: rootdisk $_rdev at offset $_off as $st_data_dev"
		;;
	mtd:*)
		_name=${cfg_data#mtd:}
		_idx=$(sed -n "s/^mtd\\([0-9]*\\):.*\"$_name\"\$/\\1/p" /proc/mtd 2>/dev/null | head -n 1)
		if [ -z "$_idx" ]; then
			st_data_why="MTD partition $_name not in /proc/mtd"
			return 1
		fi
		st_data_dev=/dev/mtd$_idx
		st_log "data volume: MTD $_name is $st_data_dev"
		;;
	tmpfs)
		st_data_why="data volume is tmpfs"
		return 1
		;;
	*)
		st_data_dev=$(st_wait_device "$cfg_data") || {
			st_data_why="data volume $cfg_data not found within ${cfg_timeout}s"
			return 1
		}
		st_log "data volume: $cfg_data is $st_data_dev"
		;;
	esac
	return 0
}

# st_mount_mtd DIR: jffs2 on the mtdblock device, or ubifs on a UBI volume named like the partition.
st_mount_mtd() {
	_idx=${st_data_dev#/dev/mtd}
	_name=${cfg_data#mtd:}
	if [ "$cfg_fs" = ubifs ]; then
		st_have ubiattach || return 1
		ubiattach -m "$_idx" >/dev/null 2>&1
		_ubi=$(grep -l "^$_name\$" /sys/class/ubi/ubi*_*/name 2>/dev/null | head -n 1)
		if [ -z "$_ubi" ] && st_have ubimkvol; then
			_u=$(grep -l "^$_idx\$" /sys/class/ubi/ubi*/mtd_num 2>/dev/null | head -n 1)
			_u=$(basename "$(dirname "$_u")")
			ubimkvol "/dev/$_u" -N "$_name" -m >/dev/null 2>&1 && st_status formatted yes
		fi
		mount -t ubifs -o rw,noatime "ubi:$_name" "$1" 2>/dev/null
		return
	fi
	case $(st_probe "$st_data_dev") in
	deadc0de)
		st_log "formatting $st_data_dev (0xdeadc0de marker) as jffs2"
		st_format "$st_data_dev" jffs2 || return 1
		st_status formatted yes
		;;
	empty) st_status formatted yes ;;
	esac
	mount -t jffs2 -o rw,noatime "/dev/mtdblock$_idx" "$1" 2>/dev/null
}

# st_open_data DIR: mounts the persistent data volume at DIR, formatting it on first boot.
# Fails with st_data_why set; the caller falls back to tmpfs.
st_open_data() {
	st_data_device || return 1
	mkdir -p "$1"
	case $cfg_data in mtd:*)
		st_mount_mtd "$1" || {
			st_data_why="cannot mount $cfg_fs from $cfg_data ($st_data_dev)"
			return 1
		}
		return 0
		;;
	esac
	_what=$(st_probe "$st_data_dev")
	case $_what in
	ext4 | f2fs)
		st_mount_data "$st_data_dev" "$1" "$_what" || {
			st_data_why="cannot mount $_what from $st_data_dev (corrupt?); not formatting over it"
			return 1
		}
		st_log "mounted $_what data volume $st_data_dev"
		;;
	empty | deadc0de | gzip)
		st_log "first boot: formatting $st_data_dev ($_what) as $cfg_fs"
		if [ "$_what" = gzip ]; then
			# OpenWrt keeps a sysupgrade configuration here: keep it to restore into the new upper.
			dd if="$st_data_dev" bs=65536 count=64 2>/dev/null | gzip -dc >"$ST_RUN/restore.tar" 2>/dev/null
		fi
		st_format "$st_data_dev" "$cfg_fs" || {
			st_data_why="cannot format $st_data_dev as $cfg_fs (no mkfs tool in the image?)"
			return 1
		}
		st_mount_data "$st_data_dev" "$1" "$cfg_fs" || {
			st_data_why="cannot mount $st_data_dev after formatting it as $cfg_fs"
			return 1
		}
		st_status formatted yes
		;;
	*)
		st_data_why="data volume $st_data_dev holds $_what data; not formatting over it"
		return 1
		;;
	esac
	return 0
}

# st_crash_point NAME: tests simulate power loss here with strata.crash_at=NAME (an immediate
# reboot through sysrq, nothing synced beyond what the step itself synced).
st_crash_point() {
	# only PID 1 at boot: never reboot a host that runs this library in a test
	[ "$$" = 1 ] && [ -n "$cfg_crash_at" ] && [ "$cfg_crash_at" = "$1" ] || return 0
	st_log "simulating power loss at $1"
	echo b >/proc/sysrq-trigger
	sleep 5
}

# --- reset --------------------------------------------------------------------------------------

st_state() {
	cat "$1/.strata/state" 2>/dev/null
}

st_set_state() {
	mkdir -p "$1/.strata"
	echo "$2" >"$1/.strata/state.tmp" && mv -f "$1/.strata/state.tmp" "$1/.strata/state"
	sync
}

# st_request_reset DATA KEEP...: records a reset for DATA durably (atomic rename); "hard" keeps nothing.
st_request_reset() {
	_d=$1
	shift
	mkdir -p "$_d/.strata" || return 1
	: >"$_d/.strata/reset.tmp" || return 1
	for _k in "$@"; do
		printf '%s\n' "$_k" >>"$_d/.strata/reset.tmp"
	done
	sync
	mv -f "$_d/.strata/reset.tmp" "$_d/.strata/reset" && sync
}

# st_do_reset DATA: carries out a recorded reset; every step can be redone after power loss.
st_do_reset() {
	_d=$1
	_keep=
	if [ -f "$_d/.strata/reset" ]; then
		while IFS= read -r _k || [ -n "$_k" ]; do
			case $_k in /*) _keep="$_keep $_k" ;; esac
		done <"$_d/.strata/reset"
	fi
	mkdir -p "$_d/.strata/trash" || return 1
	# 1. the new upper, with the kept paths only, built aside and renamed into place when complete
	if [ -d "$_d/upper" ] && [ ! -d "$_d/.strata/upper.new" ]; then
		rm -rf "$_d/.strata/upper.tmp"
		mkdir -p "$_d/.strata/upper.tmp" || return 1
		for _k in $_keep; do
			if [ -e "$_d/upper$_k" ] || [ -L "$_d/upper$_k" ]; then
				mkdir -p "$_d/.strata/upper.tmp$(dirname "$_k")"
				cp -a "$_d/upper$_k" "$_d/.strata/upper.tmp$_k" || return 1
			fi
		done
		sync
		mv "$_d/.strata/upper.tmp" "$_d/.strata/upper.new" || return 1
		sync
		st_crash_point reset-staged
	fi
	# 2. the commit point: the whole old upper leaves in one rename()
	if [ -d "$_d/upper" ]; then
		mv "$_d/upper" "$_d/.strata/trash/upper.$$.$(date +%s)" || return 1
		sync
		st_crash_point reset-committed
	fi
	[ -d "$_d/work" ] && mv "$_d/work" "$_d/.strata/trash/work.$$.$(date +%s)"
	# 3. the new upper into place, then the request is done
	if [ -d "$_d/.strata/upper.new" ]; then
		mv "$_d/.strata/upper.new" "$_d/upper" || return 1
	else
		mkdir "$_d/upper" || return 1
	fi
	sync
	rm -f "$_d/.strata/reset"
	sync
	# shellcheck disable=SC2086 # the kept paths are space-separated and contain no spaces
	set -- $_keep
	st_log "factory reset done (kept: ${*:-nothing})"
	st_status reset "done"
	st_status kept "$*"
	return 0
}

# st_collect_resets DATA: turns the boot-time triggers (kernel command line, flag file on the boot
# partition, a first boot that never completed) into a recorded request, then carries it out.
st_collect_resets() {
	_d=$1
	if [ -n "$cfg_reset" ] && [ "$cfg_reset" != 0 ] && st_has_trigger cmdline; then
		st_log "reset requested on the kernel command line (strata.reset=$cfg_reset)"
		if [ "$cfg_reset" = hard ]; then
			st_request_reset "$_d" hard
		else
			# shellcheck disable=SC2086
			st_request_reset "$_d" $cfg_keep
		fi
	fi
	if [ -n "$st_boot_dir" ] && st_has_trigger flag && [ -f "$st_boot_dir$cfg_reset_flag" ]; then
		st_log "reset requested by $cfg_reset_flag on the boot partition"
		_fk=$(grep '^/' "$st_boot_dir$cfg_reset_flag" 2>/dev/null | tr '\n' ' ')
		if grep -q '^hard' "$st_boot_dir$cfg_reset_flag" 2>/dev/null; then
			st_request_reset "$_d" hard
		else
			# shellcheck disable=SC2086
			st_request_reset "$_d" $cfg_keep $_fk
		fi
		# the request is on the data volume now; only then does the flag go
		mount -o remount,rw "$st_boot_dir" 2>/dev/null
		rm -f "$st_boot_dir$cfg_reset_flag"
		sync
		mount -o remount,ro "$st_boot_dir" 2>/dev/null
	fi
	if [ -f "$_d/.strata/reset" ] && ! st_has_trigger command && [ -z "$cfg_reset" ]; then
		st_log "ignoring a strata-reset request: the 'command' trigger is off"
		rm -f "$_d/.strata/reset"
	fi
	if [ "$(st_state "$_d")" = pending ] && [ -d "$_d/upper" ]; then
		st_log "the last first boot never completed: wiping its upper"
		[ -f "$_d/.strata/reset" ] || st_request_reset "$_d" hard
	fi
	if [ -f "$_d/.strata/reset" ] || [ -d "$_d/.strata/upper.new" ]; then
		st_do_reset "$_d" || return 1
		st_set_state "$_d" pending
	fi
	return 0
}

# st_empty_trash DATA: deletes old uppers in the background, after the overlay is up.
st_empty_trash() {
	[ -d "$1/.strata/trash" ] || return 0
	(cd "$1/.strata" && exec rm -rf trash) >/dev/null 2>&1 &
}

# --- the upper and the overlay ----------------------------------------------------------------

# st_prepare_upper DATADIR: sets st_upper_base to a directory holding upper/ and work/ (on the
# data volume, or on tmpfs for volatile mode and fallback), or empty for read-only mode.
st_prepare_upper() {
	_dd=$1
	st_upper_base=
	st_status mode "$cfg_mode"
	case $cfg_mode in
	read-only)
		st_status upper none
		return 0
		;;
	volatile) st_log "volatile mode: changes are kept in RAM until the next boot" ;;
	persistent)
		_ok=
		if [ "$cfg_data" = tmpfs ]; then
			st_fallback "data volume is tmpfs"
		elif ! st_open_data "$_dd"; then
			st_fallback "$st_data_why"
		elif ! st_collect_resets "$_dd"; then
			st_fallback "the factory reset on $st_data_dev failed"
			umount "$_dd" 2>/dev/null
		elif ! mkdir -p "$_dd/upper" "$_dd/work"; then
			st_fallback "cannot create upper/ on $st_data_dev (read-only or full)"
			umount "$_dd" 2>/dev/null
		else
			_ok=1
		fi
		if [ -n "$_ok" ]; then
			[ -n "$(st_state "$_dd")" ] || st_set_state "$_dd" pending
			if [ -s "$ST_RUN/restore.tar" ]; then
				tar -xf "$ST_RUN/restore.tar" -C "$_dd/upper" 2>/dev/null && st_log "restored the saved configuration"
				rm -f "$ST_RUN/restore.tar"
			fi
			st_upper_base=$_dd
			st_status upper data
			st_status data "$st_data_dev"
			return 0
		fi
		;;
	*) st_fallback "unknown mode '$cfg_mode'" ;;
	esac
	mkdir -p "$_dd"
	_o=mode=0755
	[ -n "$cfg_tmpfs_size" ] && _o="$_o,size=$cfg_tmpfs_size"
	mount -t tmpfs -o "$_o" strata-upper "$_dd" || return 1
	mkdir -p "$_dd/upper" "$_dd/work"
	st_upper_base=$_dd
	st_status upper tmpfs
	return 0
}

# st_escape PATH: a layer path for the overlay mount options (':' ',' '\' escaped).
st_escape() {
	printf '%s' "$1" | sed 's/\\/\\\\/g; s/:/\\:/g; s/,/\\,/g'
}

# st_mount_overlay TARGET LOWERS: LOWERS space-separated, bottom first; uses st_upper_base.
st_mount_overlay() {
	_target=$1
	_ld=
	for _l in $2; do
		_e=$(st_escape "$_l")
		_ld=$_e${_ld:+:$_ld}
	done
	mkdir -p "$_target"
	if [ -n "$st_upper_base" ]; then
		_opts="lowerdir=$_ld,upperdir=$st_upper_base/upper,workdir=$st_upper_base/work,index=off,metacopy=off"
	else
		case $_ld in
		*[!\\]:*) ;;
		*)
			# overlayfs without an upper needs two lowers: add an empty one
			mkdir -p "$ST_RUN/empty"
			_ld=$_ld:$ST_RUN/empty
			;;
		esac
		_opts="lowerdir=$_ld,index=off,metacopy=off"
	fi
	if mount -t overlay -o "$_opts" strata "$_target"; then
		return 0
	fi
	st_log "overlay mount failed ($_opts)"
	return 1
}

# st_mark_ready DATA: a fresh upper that reached this point has completed its first boot.
st_mark_ready() {
	[ "$cfg_ready" = boot ] || return 0
	[ "$(st_state "$1")" = pending ] || return 0
	st_set_state "$1" ready
}

# --- modules and boot partition -----------------------------------------------------------------

# Loads the modules listed (paths, dependency order) in $ST_MODULES; "File exists" is fine.
st_load_modules() {
	[ -r "$ST_MODULES" ] || return 0
	_n=0
	_bad=
	while IFS= read -r _m || [ -n "$_m" ]; do
		case $_m in '' | '#'*) continue ;; esac
		if insmod "$_m" 2>/dev/null || grep -q "^$(basename "$_m" .ko | tr '-' '_') " /proc/modules 2>/dev/null; then
			_n=$((_n + 1))
		else
			_bad="$_bad $(basename "$_m")"
		fi
	done <"$ST_MODULES"
	st_log "loaded $_n kernel modules${_bad:+; failed:$_bad}"
}

# st_mount_boot DIR: mounts the boot partition read-only at DIR and sets st_boot_dir.
st_mount_boot() {
	st_boot_dir=
	[ -n "$cfg_boot" ] || return 0
	_b=$(st_wait_device "$cfg_boot") || {
		st_log "boot partition $cfg_boot not found within ${cfg_timeout}s"
		return 1
	}
	mkdir -p "$1"
	if mount -o ro "$_b" "$1" 2>/dev/null || mount -t vfat -o ro "$_b" "$1" 2>/dev/null; then
		st_boot_dir=$1
		st_log "boot partition $cfg_boot ($_b) mounted"
		return 0
	fi
	st_log "cannot mount boot partition $_b"
	return 1
}

# st_mount_lower SOURCE DIR: a squashfs layer from a file on the boot partition or a device.
st_mount_lower() {
	case $1 in
	boot:*)
		if [ -z "$st_boot_dir" ] || [ ! -f "$st_boot_dir${1#boot:}" ]; then
			st_log "lower image ${1#boot:} not on the boot partition"
			return 1
		fi
		_dev=$(st_loop_attach "$st_boot_dir${1#boot:}" 0 ro) || return 1
		;;
	*)
		_dev=$(st_wait_device "$1") || {
			st_log "lower device $1 not found within ${cfg_timeout}s"
			return 1
		}
		;;
	esac
	mkdir -p "$2"
	mount -t squashfs -o ro "$_dev" "$2" || return 1
	st_log "lower $1 mounted ($_dev)"
}
