using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Remote;

/// <summary>What <c>~/.ssh/config</c> says about one host (the subset we honour).</summary>
internal sealed record SshHostConfig(
    string? HostName,
    string? User,
    int? Port,
    IReadOnlyList<string> IdentityFiles,
    string? ProxyJump
);

/// <summary>
/// Reads the part of an OpenSSH client config that the workflow needs: <c>Host</c> patterns (with <c>*</c>, <c>?</c>
/// and <c>!</c>), <c>HostName</c>, <c>User</c>, <c>Port</c>, <c>IdentityFile</c> and <c>ProxyJump</c>. As in OpenSSH,
/// the first value found for a keyword wins, and <c>Match</c> blocks are not applied.
/// </summary>
internal static class SshConfigFile
{
    /// <summary>The settings for <paramref name="alias"/> in the config text.</summary>
    public static SshHostConfig Resolve(string text, string alias, string homeDirectory)
    {
        string? hostName = null,
            user = null,
            proxyJump = null;
        int? port = null;
        var identities = new List<string>();
        var applies = true; // lines before the first Host apply to every host
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var (keyword, value) = Split(line);
            switch (keyword)
            {
                case "host":
                    applies = HostMatches(value, alias);
                    continue;
                case "match":
                    applies = false;
                    continue;
            }
            if (!applies)
                continue;
            switch (keyword)
            {
                case "hostname":
                    hostName ??= value.Replace("%h", alias, StringComparison.Ordinal);
                    break;
                case "user":
                    user ??= value;
                    break;
                case "port":
                    port ??= int.TryParse(value, out var p)
                        ? p
                        : throw new RemoteException(
                            $"~/.ssh/config gives Port '{value}' for {alias}; a port is a number."
                        );
                    break;
                case "identityfile":
                    identities.Add(RemotePath.Expand(value.Trim('"'), homeDirectory));
                    break;
                case "proxyjump":
                    proxyJump ??= value.Equals("none", StringComparison.OrdinalIgnoreCase) ? "" : value;
                    break;
            }
        }
        return new SshHostConfig(hostName, user, port, identities, proxyJump is { Length: > 0 } ? proxyJump : null);
    }

    /// <summary>A <c>ProxyJump</c> value <c>[user@]host[:port]</c>; several hops are not supported.</summary>
    public static (string? User, string Host, int? Port) ParseJump(string value)
    {
        if (value.Contains(',', StringComparison.Ordinal))
            throw new RemoteException(
                $"ProxyJump '{value}' has several hops; only one jump host is supported. Reach the first hop with a "
                    + $"Host entry of its own."
            );
        var at = value.LastIndexOf('@');
        var user = at > 0 ? value[..at] : null;
        var rest = value[(at + 1)..];
        var colon = rest.LastIndexOf(':');
        return colon > 0 && int.TryParse(rest[(colon + 1)..], out var port)
            ? (user, rest[..colon], port)
            : (user, rest, null);
    }

    private static (string Keyword, string Value) Split(string line)
    {
        var separator = line.IndexOfAny([' ', '\t', '=']);
        if (separator < 0)
            return (line.ToLowerInvariant(), "");
        var value = line[(separator + 1)..].TrimStart(' ', '\t', '=').Trim();
        return (line[..separator].ToLowerInvariant(), value);
    }

    private static bool HostMatches(string patterns, string alias)
    {
        var matched = false;
        foreach (var pattern in patterns.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (pattern.StartsWith('!'))
            {
                if (Glob.Matches(pattern[1..], alias))
                    return false;
            }
            else if (Glob.Matches(pattern, alias))
                matched = true;
        }
        return matched;
    }
}
