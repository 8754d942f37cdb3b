using System.Net;
using System.Net.Sockets;

namespace Catalog.Harvester.Fetching;

/// <summary>Thrown when a harvest would reach an address the source may not reach.</summary>
public sealed class AddressRefusedException(string message) : Exception(message);

/// <summary>
/// Which addresses a harvest may connect to: public ones only, unless the source allows private ones. Checked on the
/// address actually connected (so a name that resolves differently the second time gains nothing) and on every hop.
/// </summary>
public static class AddressGuard
{
    /// <summary>Loopback, private, link-local, unique-local, carrier-grade NAT, multicast and unspecified addresses.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] is >= 64 and <= 127,
                169 => b[1] == 254,
                172 => b[1] is >= 16 and <= 31,
                192 => (b[1] == 168) || (b[1] == 0 && b[2] == 0),
                198 => b[1] is 18 or 19,
                >= 224 => true,
                _ => false,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast) return true;
            var b = address.GetAddressBytes();
            return (b[0] & 0xFE) == 0xFC;
        }
        return true;
    }

    /// <summary>Connects to the first acceptable address of the host, refusing when every address is refused.</summary>
    /// <param name="isRefused">What counts as private; <see cref="IsPrivate"/> unless a test narrows it.</param>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken ct,
        Func<IPAddress, bool>? isRefused = null)
    {
        var refused = isRefused ?? IsPrivate;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var allowed = allowPrivate ? addresses : addresses.Where(a => !refused(a)).ToArray();
        if (allowed.Length == 0)
            throw new AddressRefusedException(
                $"{endpoint.Host} resolves only to private or local addresses ({string.Join(", ", addresses.Select(a => a.ToString()))}); " +
                "set allow_private_addresses in the source config to harvest it");

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), ct);
                // The address connected is the one checked: refuse it again here in case the socket ended elsewhere.
                if (!allowPrivate && socket.RemoteEndPoint is IPEndPoint remote && refused(remote.Address))
                    throw new AddressRefusedException($"{endpoint.Host} connected to the private address {remote.Address}");
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception e) when (e is SocketException)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
