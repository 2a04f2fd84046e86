$ORIGIN example.com.
$TTL 3600
@     IN SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 3600
@     IN NS  ns1.example.com.
ns1   IN A   192.0.2.53
www   IN A   192.0.2.1
mail  IN CNAME www
