/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pmp_responder's UPnP-IGD (included by pmp_responder.c only): an SSDP
 * answer to every M-SEARCH, a root description of one IGD:1 with a
 * WANIPConnection:1 service at http://LAN:5000/, and SOAP answers to
 * GetStatusInfo, GetExternalIPAddress, AddPortMapping, DeletePortMapping
 * and GetSpecificPortMappingEntry. Just what miniupnpc's client asks.
 */
#include <netinet/tcp.h>

#define UPNP_HTTP_PORT 5000
#define IPC	       "urn:schemas-upnp-org:service:WANIPConnection:1"

static int upnp_open(struct pollfd *p)
{
	struct ip_mreq mr = { 0 };
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(UPNP_HTTP_PORT) };
	int one = 1;

	p[0].fd = udp_socket(1900);
	inet_aton("239.255.255.250", &mr.imr_multiaddr);
	inet_aton(R.upnp_lan, &mr.imr_interface);
	if (setsockopt(p[0].fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
		       sizeof(mr))) {
		perror("IP_ADD_MEMBERSHIP");
		exit(2);
	}
	p[1].fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(p[1].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	inet_aton(R.upnp_lan, &sa.sin_addr);
	if (bind(p[1].fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(p[1].fd, 8)) {
		perror("http");
		exit(2);
	}
	return 2;
}

static void ssdp_on(int fd)
{
	char q[1500], a[700], st[200] = "upnp:rootdevice";
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(fd, q, sizeof(q) - 1, 0, (struct sockaddr *)&from,
			     &fl);
	char *s;
	int len;

	if (n <= 0)
		return;
	q[n] = 0;
	if (strncmp(q, "M-SEARCH", 8))
		return;
	s = strcasestr(q, "\nST:");
	if (s && sscanf(s + 4, " %199[^\r\n]", st) != 1)
		return;
	len = snprintf(a, sizeof(a),
		       "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\n"
		       "ST: %s\r\nUSN: uuid:00000000-0000-0000-0000-"
		       "000000000001::%s\r\nEXT:\r\nSERVER: Linux UPnP/1.1 "
		       "pmp_responder/1\r\nLOCATION: http://%s:%u/root.xml\r\n"
		       "\r\n",
		       st, st, R.upnp_lan, UPNP_HTTP_PORT);
	sendto(fd, a, (size_t)len, 0, (struct sockaddr *)&from, fl);
	logf_("SSDP", "upnp", from.sin_addr, 0, 0, 0);
}

static const char ROOT_XML[] =
	"<?xml version=\"1.0\"?>\r\n<root xmlns=\"urn:schemas-upnp-org:"
	"device-1-0\"><specVersion><major>1</major><minor>0</minor>"
	"</specVersion><device><deviceType>urn:schemas-upnp-org:device:"
	"InternetGatewayDevice:1</deviceType><friendlyName>lab</friendlyName>"
	"<UDN>uuid:00000000-0000-0000-0000-000000000001</UDN><deviceList>"
	"<device><deviceType>urn:schemas-upnp-org:device:WANDevice:1"
	"</deviceType><UDN>uuid:00000000-0000-0000-0000-000000000002</UDN>"
	"<serviceList><service><serviceType>urn:schemas-upnp-org:service:"
	"WANCommonInterfaceConfig:1</serviceType><serviceId>urn:upnp-org:"
	"serviceId:WANCommonIFC1</serviceId><SCPDURL>/cif.xml</SCPDURL>"
	"<controlURL>/ctl/CIF</controlURL><eventSubURL>/evt/CIF"
	"</eventSubURL></service></serviceList><deviceList><device>"
	"<deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1"
	"</deviceType><UDN>uuid:00000000-0000-0000-0000-000000000003</UDN>"
	"<serviceList><service><serviceType>" IPC "</serviceType><serviceId>"
	"urn:upnp-org:serviceId:WANIPConn1</serviceId><SCPDURL>/ipc.xml"
	"</SCPDURL><controlURL>/ctl/IPConn</controlURL><eventSubURL>"
	"/evt/IPConn</eventSubURL></service></serviceList></device>"
	"</deviceList></device></deviceList></device></root>";

static void http_reply(int fd, int code, const char *body)
{
	char h[300];
	int len = snprintf(h, sizeof(h),
			   "HTTP/1.1 %d %s\r\nContent-Type: text/xml; "
			   "charset=\"utf-8\"\r\nConnection: close\r\n"
			   "Content-Length: %zu\r\n\r\n",
			   code, code == 200 ? "OK" : "Error", strlen(body));

	(void)!write(fd, h, (size_t)len);
	(void)!write(fd, body, strlen(body));
}

static void soap_reply(int fd, const char *action, const char *args)
{
	char b[1500];

	snprintf(b, sizeof(b),
		 "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://"
		 "schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http:"
		 "//schemas.xmlsoap.org/soap/encoding/\"><s:Body><u:%sResponse"
		 " xmlns:u=\"" IPC "\">%s</u:%sResponse></s:Body></s:Envelope>"
		 "\r\n",
		 action, args, action);
	http_reply(fd, 200, b);
}

static void soap_error(int fd, int code)
{
	char b[700];

	snprintf(b, sizeof(b),
		 "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://"
		 "schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
		 "<faultcode>s:Client</faultcode><faultstring>UPnPError"
		 "</faultstring><detail><UPnPError xmlns=\"urn:schemas-upnp-"
		 "org:control-1-0\"><errorCode>%d</errorCode><errorDescription>"
		 "error</errorDescription></UPnPError></detail></s:Fault>"
		 "</s:Body></s:Envelope>\r\n",
		 code);
	http_reply(fd, 500, b);
}

static long arg_num(const char *body, const char *name)
{
	char tag[64];
	const char *s;

	snprintf(tag, sizeof(tag), "<%s>", name);
	s = strstr(body, tag);
	return s ? strtol(s + strlen(tag), NULL, 10) : -1;
}

static struct map *upnp_by_eport(long eport)
{
	int i;

	for (i = 0; i < MAX_MAPS; i++)
		if (R.maps[i].used && R.maps[i].eport == eport &&
		    !strcmp(R.maps[i].proto, "upnp"))
			return &R.maps[i];
	return NULL;
}

static void soap_add(int fd, const char *body)
{
	char client[40] = "";
	const char *s = strstr(body, "<NewInternalClient>");
	struct in_addr ip;
	long e = arg_num(body, "NewExternalPort");
	long i = arg_num(body, "NewInternalPort");
	long l = arg_num(body, "NewLeaseDuration");
	uint32_t lease = l > 0 ? (uint32_t)l : R.max_lease;
	struct map *m = upnp_by_eport(e);
	unsigned int off = R.offset;

	if (s)
		sscanf(s + 19, "%39[^<]", client);
	if (!inet_aton(client, &ip) || e <= 0 || i <= 0)
		return soap_error(fd, 402);
	if (m && (m->ip.s_addr != ip.s_addr || m->iport != i))
		return soap_error(fd, 718);
	/* UPnP grants the port asked or fails: no offset here. */
	R.offset = 0;
	grant("upnp", ip, (uint16_t)i, (uint16_t)e, &lease);
	R.offset = off;
	soap_reply(fd, "AddPortMapping", "");
}

static void soap_get(int fd, const char *body)
{
	struct map *m = upnp_by_eport(arg_num(body, "NewExternalPort"));
	char a[400];

	if (!m)
		return soap_error(fd, 714);
	snprintf(a, sizeof(a),
		 "<NewInternalPort>%u</NewInternalPort><NewInternalClient>%s"
		 "</NewInternalClient><NewEnabled>1</NewEnabled>"
		 "<NewPortMappingDescription>n2nk</NewPortMappingDescription>"
		 "<NewLeaseDuration>%llu</NewLeaseDuration>",
		 m->iport, inet_ntoa(m->ip),
		 (unsigned long long)(m->expires - now_s()));
	soap_reply(fd, "GetSpecificPortMappingEntry", a);
}

static void soap(int fd, const char *head, const char *body)
{
	char a[100];
	struct map *m;

	if (strcasestr(head, "#GetStatusInfo"))
		return soap_reply(
			fd, "GetStatusInfo",
			"<NewConnectionStatus>Connected"
			"</NewConnectionStatus><NewLastConnectionError"
			">ERROR_NONE</NewLastConnectionError>"
			"<NewUptime>1000</NewUptime>");
	if (strcasestr(head, "#GetExternalIPAddress")) {
		snprintf(a, sizeof(a),
			 "<NewExternalIPAddress>%s</NewExternalIPAddress>",
			 inet_ntoa(R.ext));
		return soap_reply(fd, "GetExternalIPAddress", a);
	}
	if (strcasestr(head, "#AddPortMapping"))
		return soap_add(fd, body);
	if (strcasestr(head, "#GetSpecificPortMappingEntry"))
		return soap_get(fd, body);
	if (strcasestr(head, "#DeletePortMapping")) {
		m = upnp_by_eport(arg_num(body, "NewExternalPort"));
		if (!m)
			return soap_error(fd, 714);
		{
			uint32_t zero = 0;

			grant("upnp", m->ip, m->iport, 0, &zero);
		}
		return soap_reply(fd, "DeletePortMapping", "");
	}
	soap_error(fd, 401);
}

/* One request per connection, read whole within a second. */
static void http_on(int lfd)
{
	static char buf[16384];
	struct pollfd p = { .events = POLLIN };
	size_t got = 0;
	char *body = NULL;
	long clen = 0;

	p.fd = accept(lfd, NULL, NULL);
	if (p.fd < 0)
		return;
	while (got < sizeof(buf) - 1 && poll(&p, 1, 1000) > 0) {
		ssize_t n = read(p.fd, buf + got, sizeof(buf) - 1 - got);
		char *cl;

		if (n <= 0)
			break;
		got += (size_t)n;
		buf[got] = 0;
		body = strstr(buf, "\r\n\r\n");
		if (!body)
			continue;
		cl = strcasestr(buf, "Content-Length:");
		clen = cl && cl < body ? strtol(cl + 15, NULL, 10) : 0;
		if ((long)(got - (size_t)(body + 4 - buf)) >= clen)
			break;
	}
	if (body) {
		*body = 0;
		body += 4;
		if (!strncmp(buf, "GET /root.xml", 13))
			http_reply(p.fd, 200, ROOT_XML);
		else if (!strncmp(buf, "POST /ctl/IPConn", 16))
			soap(p.fd, buf, body);
		else
			http_reply(p.fd, 404, "");
	}
	close(p.fd);
}

static void upnp_on(int fd, int which)
{
	if (which == 0)
		ssdp_on(fd);
	else
		http_on(fd);
}
