using System.Security.Cryptography;
using System.Text;

namespace Catalog.Core.Auth;

/// <summary>Token and password hashing: secrets never reach the store in clear.</summary>
public static class Secrets
{
    public static string NewToken() =>
        Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Tokens are high-entropy random strings, so one SHA-256 is enough to make a stolen table useless.</summary>
    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// OWASP's work factor for PBKDF2-HMAC-SHA256. The count is stored with each hash, so raising it later leaves
    /// older hashes verifiable; they are rehashed when their password is next verified.
    /// </summary>
    public const int PasswordIterations = 600_000;

    private const string Scheme = "pbkdf2-sha256";

    public static string HashPassword(string password) => HashPassword(password, PasswordIterations);

    /// <summary>A hash at a chosen work factor: for tests and for migrating old hashes, never for new passwords.</summary>
    public static string HashPassword(string password, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool VerifyPassword(string password, string stored) => Verify(password, stored, out _);

    /// <summary>
    /// Checks a password; when it is right but was hashed with fewer iterations than
    /// <see cref="PasswordIterations"/>, <paramref name="rehashed"/> is a new hash of it for the caller to store.
    /// </summary>
    /// <returns>Whether the password is right.</returns>
    public static bool VerifyAndUpgrade(string password, string stored, out string? rehashed)
    {
        rehashed = null;
        if (!Verify(password, stored, out var iterations)) return false;
        if (iterations < PasswordIterations) rehashed = HashPassword(password);
        return true;
    }

    /// <summary>The work factor of a stored hash (0 when it is not one of ours).</summary>
    public static int IterationsOf(string stored) => Parse(stored) is { } p ? p.Iterations : 0;

    private static bool Verify(string password, string stored, out int iterations)
    {
        iterations = 0;
        if (Parse(stored) is not { } p) return false;
        iterations = p.Iterations;
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, p.Salt, p.Iterations, HashAlgorithmName.SHA256, p.Hash.Length);
        return CryptographicOperations.FixedTimeEquals(actual, p.Hash);
    }

    private sealed record Parsed(int Iterations, byte[] Salt, byte[] Hash);

    /// <summary>A damaged or foreign hash never verifies; it must not make the check fail with an error either.</summary>
    private static Parsed? Parse(string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1) return null;
        try
        {
            var hash = Convert.FromBase64String(parts[3]);
            return hash.Length == 0 ? null : new Parsed(iterations, Convert.FromBase64String(parts[2]), hash);
        }
        catch (FormatException) { return null; }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
