using Catalog.Core.Dispatch;
using Catalog.Core.Store;

namespace Catalog.Core.Auth;

/// <summary>
/// Every password check goes through here: failures are counted per account and per client address, and too many
/// within <see cref="Window"/> lock that account or address out for <see cref="LockoutTime"/>, during which even the
/// right password is refused. The counts live in memory: a restart forgets them, which only gives back one window.
/// </summary>
public sealed class PasswordAttempts(TimeProvider clock)
{
    public const int AccountLimit = 5;
    /// <summary>Higher than per account: several people may share an address (an office behind one NAT).</summary>
    public const int AddressLimit = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);

    /// <summary>Beyond this many tracked keys, those with nothing recent are dropped, so probing cannot fill memory.</summary>
    private const int TrackedMax = 10_000;

    private sealed class Tracker
    {
        public readonly Queue<DateTimeOffset> Failures = new();
        /// <summary>Checks under way: they count toward the limit, so parallel guesses cannot outrun it.</summary>
        public int Pending;
        public DateTimeOffset LockedUntil;
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Tracker> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tracker> _addresses = new(StringComparer.Ordinal);

    /// <summary>
    /// Checks <paramref name="password"/> against the user's stored hash. A right password with a hash of an older
    /// work factor gets a new hash on <paramref name="user"/>, for the caller to save.
    /// </summary>
    /// <param name="address">The client's address, when the call came over the network.</param>
    /// <returns>Whether the password is right.</returns>
    /// <exception cref="NotAuthorizedException">The account or the address is locked out.</exception>
    public bool Verify(User user, string password, string? address)
    {
        Begin(user.Id, address);
        var right = false;
        try
        {
            if (user.PasswordHash is { } stored && Secrets.VerifyAndUpgrade(password, stored, out var rehashed))
            {
                right = true;
                if (rehashed is not null) user.PasswordHash = rehashed;
            }
        }
        finally { End(user.Id, address, right); }
        return right;
    }

    /// <summary>How long the account or the address stays locked; zero when neither is.</summary>
    public TimeSpan LockedFor(string account, string? address)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var wait = Remaining(_accounts, account, now);
            return address is null ? wait : Max(wait, Remaining(_addresses, address, now));
        }
    }

    private void Begin(string account, string? address)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var a = Track(_accounts, account, now);
            var n = address is null ? null : Track(_addresses, address, now);
            var refusal = Refusal(a, AccountLimit, now, "this account")
                ?? (n is null ? null : Refusal(n, AddressLimit, now, "this address"));
            if (refusal is not null) throw refusal;
            a.Pending++;
            if (n is not null) n.Pending++;
        }
    }

    private void End(string account, string? address, bool right)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var a = Track(_accounts, account, now);
            var n = address is null ? null : Track(_addresses, address, now);
            a.Pending--;
            if (n is not null) n.Pending--;
            if (right)
            {
                // The account's owner is back; the address keeps its count, or one good account would let an
                // attacker reset it between guesses at others.
                a.Failures.Clear();
                if (a.Pending == 0 && a.LockedUntil <= now) _accounts.Remove(account);
                return;
            }
            Fail(a, AccountLimit, now);
            if (n is not null) Fail(n, AddressLimit, now);
            if (_accounts.Count + _addresses.Count > TrackedMax) Prune(now);
        }
    }

    private static NotAuthorizedException? Refusal(Tracker t, int limit, DateTimeOffset now, string what)
    {
        if (t.LockedUntil > now)
            return new NotAuthorizedException(
                $"Too many failed password attempts for {what}; try again in {Minutes(t.LockedUntil - now)}");
        // Only checks still running can fill the count here: the last failure would have locked it otherwise.
        if (t.Failures.Count + t.Pending >= limit)
            return new NotAuthorizedException($"Too many password attempts under way for {what}; try again shortly");
        return null;
    }

    private static void Fail(Tracker t, int limit, DateTimeOffset now)
    {
        t.Failures.Enqueue(now);
        if (t.Failures.Count < limit) return;
        t.LockedUntil = now + LockoutTime;
        t.Failures.Clear();
    }

    /// <summary>The key's tracker, with failures older than the window forgotten.</summary>
    private static Tracker Track(Dictionary<string, Tracker> map, string key, DateTimeOffset now)
    {
        if (!map.TryGetValue(key, out var t)) map[key] = t = new Tracker();
        while (t.Failures.TryPeek(out var oldest) && now - oldest >= Window) t.Failures.Dequeue();
        return t;
    }

    private static TimeSpan Remaining(Dictionary<string, Tracker> map, string key, DateTimeOffset now) =>
        map.TryGetValue(key, out var t) && t.LockedUntil > now ? t.LockedUntil - now : TimeSpan.Zero;

    private void Prune(DateTimeOffset now)
    {
        foreach (var map in new[] { _accounts, _addresses })
            foreach (var (key, t) in map.ToList())
                if (t.Pending == 0 && t.LockedUntil <= now && (!t.Failures.TryPeek(out var oldest) || now - oldest >= Window))
                    map.Remove(key);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Minutes(TimeSpan wait)
    {
        var minutes = (int)Math.Ceiling(wait.TotalMinutes);
        return minutes == 1 ? "1 minute" : $"{minutes} minutes";
    }
}
