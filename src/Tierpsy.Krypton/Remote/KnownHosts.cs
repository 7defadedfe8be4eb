using System.Security.Cryptography;
using System.Text;

namespace Tierpsy.Krypton.Remote;

/// <summary>What a known_hosts file says about a host's key.</summary>
internal enum HostKeyStatus
{
    /// <summary>The key is listed for this host.</summary>
    Known,

    /// <summary>The host (or this key type for it) is not listed: first use, needs the user's consent.</summary>
    Unknown,

    /// <summary>
    /// The host is listed with a different key of the same type: possibly an attack; never accepted automatically.
    /// </summary>
    Changed,

    /// <summary>The key is marked <c>@revoked</c>.</summary>
    Revoked,
}

/// <summary>
/// OpenSSH known_hosts: plain and hashed (<c>|1|salt|hash</c>) host names, <c>[host]:port</c> for ports other than 22,
/// comma-separated names, <c>*</c>/<c>?</c> wildcards, <c>!</c> negation and the <c>@revoked</c> marker.
/// </summary>
internal static class KnownHosts
{
    /// <summary>The name a host is listed under: <c>host</c> on port 22, otherwise <c>[host]:port</c>.</summary>
    public static string LookupName(string host, int port) => port == 22 ? host : $"[{host}]:{port}";

    /// <summary>OpenSSH's fingerprint of a public key blob: <c>SHA256:</c> and unpadded base64.</summary>
    public static string Fingerprint(byte[] keyBlob) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(keyBlob)).TrimEnd('=');

    /// <summary>
    /// Checks <paramref name="keyBlob"/> of type <paramref name="keyType"/> against the lines of a known_hosts file.
    /// </summary>
    public static HostKeyStatus Check(IEnumerable<string> lines, string host, int port, string keyType, byte[] keyBlob)
    {
        var name = LookupName(host, port);
        var key = Convert.ToBase64String(keyBlob);
        var status = HostKeyStatus.Unknown;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var marker = fields[0].StartsWith('@') ? fields[0] : null;
            if (marker is not null)
                fields = fields[1..];
            if (fields.Length < 3 || marker == "@cert-authority" || !Matches(fields[0], name))
                continue;
            var sameKey = fields[1] == keyType && fields[2] == key;
            if (marker == "@revoked")
            {
                if (fields[2] == key)
                    return HostKeyStatus.Revoked;
                continue;
            }
            if (sameKey)
                status = HostKeyStatus.Known;
            else if (fields[1] == keyType && status != HostKeyStatus.Known)
                status = HostKeyStatus.Changed;
        }
        return status;
    }

    /// <summary>The line that <see cref="Append"/> writes for a host.</summary>
    public static string Line(string host, int port, string keyType, byte[] keyBlob) =>
        $"{LookupName(host, port)} {keyType} {Convert.ToBase64String(keyBlob)}";

    /// <summary>Adds a host's key to a known_hosts file (created with mode 600 when missing).</summary>
    public static void Append(string path, string host, int port, string keyType, byte[] keyBlob)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var prefix =
            File.Exists(path) && new FileInfo(path).Length > 0 && !File.ReadAllText(path).EndsWith('\n') ? "\n" : "";
        File.AppendAllText(path, prefix + Line(host, port, keyType, keyBlob) + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>Whether a comma-separated host field of known_hosts matches <paramref name="name"/>.</summary>
    internal static bool Matches(string hostField, string name)
    {
        if (hostField.StartsWith("|1|", StringComparison.Ordinal))
        {
            var parts = hostField.Split('|');
            if (parts.Length != 4)
                return false;
            try
            {
                // OpenSSH hashes known_hosts names with HMAC-SHA1: reading its format is no choice of algorithm.
#pragma warning disable CA5350
                using var hmac = new HMACSHA1(Convert.FromBase64String(parts[2]));
#pragma warning restore CA5350
                return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(name))) == parts[3];
            }
            catch (FormatException)
            {
                return false;
            }
        }
        var matched = false;
        foreach (var pattern in hostField.Split(','))
        {
            if (pattern.StartsWith('!'))
            {
                if (Glob.Matches(pattern[1..], name))
                    return false;
            }
            else if (Glob.Matches(pattern, name))
                matched = true;
        }
        return matched;
    }
}

/// <summary>
/// OpenSSH's host patterns: <c>*</c> any run of characters, <c>?</c> one character, case-insensitive.
/// </summary>
internal static class Glob
{
    public static bool Matches(string pattern, string text)
    {
        int p = 0,
            t = 0,
            star = -1,
            mark = 0;
        while (t < text.Length)
        {
            if (
                p < pattern.Length
                && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t]))
            )
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
                return false;
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }
}
