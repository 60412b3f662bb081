# root's login shell settings on the example router
export PS1='\u@\h:\w\$ '
