namespace KryptonTemplates.Build;

/// <summary>
/// The folder that Install fills with our packages. A generated project's build/_build.csproj adds the same folder
/// as a restore source when it exists, so no NuGet configuration is needed by hand.
/// </summary>
internal static class LocalPackageFeed
{
    public static string DefaultPath() =>
        Environment.GetEnvironmentVariable("KRYPTON_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".krypton", "packages");
}
