using System.Text;

namespace Tierpsy.Krypton.Targets;

/// <summary>How a parameter's member name is spelled on the command line, in the environment and in files.</summary>
internal static class ParameterNames
{
    /// <summary><c>RemoteRoot</c> → <c>remote-root</c>; <c>SSHPort</c> → <c>ssh-port</c>.</summary>
    public static string Kebab(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_')
            {
                sb.Append('-');
                continue;
            }
            var boundary =
                i > 0
                && char.IsUpper(c)
                && (
                    char.IsLower(name[i - 1])
                    || char.IsDigit(name[i - 1])
                    || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))
                );
            if (boundary && sb.Length > 0 && sb[sb.Length - 1] != '-')
                sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>
    /// The comparison key: letters and digits only, lower case (<c>REMOTE_ROOT</c>, <c>remote-root</c> and
    /// <c>RemoteRoot</c> agree).
    /// </summary>
    public static string Normalize(string name) =>
        new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary><c>RemoteRoot</c> → <c>REMOTE_ROOT</c>.</summary>
    public static string Environment(string name) => Kebab(name).Replace('-', '_').ToUpperInvariant();
}
