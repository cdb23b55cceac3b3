# result-shape.jq - what is wrong with the input as a CNI ADD result of
# version $v (jq --arg v VERSION): one line per problem, nothing when it
# has that version's shape (the spec's Result: 0.3.0/0.3.1/0.4.0 ips carry
# "version", 1.0.0 dropped it, 1.1.0 added interface mtu/socketPath/pciID
# and route mtu/advmss/priority/table/scope).
def old: $v | test("^0\\.");
def v11: $v == "1.1.0";
def if_keys: ["name", "mac", "sandbox"] + (if v11 then ["mtu", "socketPath", "pciID"] else [] end);
def ip_keys: ["address", "gateway", "interface"] + (if old then ["version"] else [] end);
def route_keys: ["dst", "gw"] + (if v11 then ["mtu", "advmss", "priority", "table", "scope"] else [] end);
def extra(allowed; what): keys[] | select(. as $k | allowed | index($k) | not) | "\(what) field '\(.)' is not in \($v)";
. as $r |
(if .cniVersion != $v then "cniVersion is \(.cniVersion), expected \($v)" else empty end),
(keys[] | select(. as $k | ["cniVersion", "interfaces", "ips", "routes", "dns"] | index($k) | not) | "top-level field '\(.)' is not a result's"),
(if (.interfaces | type) != "array" then "interfaces is not a list" else empty end),
(.interfaces[]? | (if (.name | type) != "string" then "an interface has no name" else empty end), extra(if_keys; "interface")),
(if (.ips | type) != "array" then "ips is not a list" else empty end),
(.ips[]? |
	(if old and (.version != "4" and .version != "6") then "ip \(.address) lacks version \"4\"/\"6\" (needed before 1.0.0)" else empty end),
	(if (.address | type) != "string" or (.address | test("/") | not) then "an ip address is not CIDR" else empty end),
	(if has("interface") and (.interface < 0 or .interface >= ($r.interfaces | length)) then "ip \(.address): interface index \(.interface) out of range" else empty end),
	extra(ip_keys; "ip")),
(.routes[]? | (if (.dst | type) != "string" then "a route has no dst" else empty end), extra(route_keys; "route")),
(if has("dns") and (.dns | type) != "object" then "dns is not a mapping" else empty end)
