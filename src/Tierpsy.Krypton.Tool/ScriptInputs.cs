namespace Tierpsy.Krypton.Tool;

/// <summary>
/// What a project's compiled build script depends on, as <c>build.sh</c> lists it: every file under <c>build/</c>
/// but its <c>bin/</c> and <c>obj/</c>, the parameter files the compiler checks (<c>.krypton/*.json</c>,
/// <c>AuxiliaryFiles/*.json</c>), the root's <c>Directory.Build.*</c>, <c>global.json</c> and <c>nuget.config</c>,
/// and the package folder. Both write the list to the same stamp after a compile, so whichever compiled last, the
/// other runs the compiled script at once while nothing was added, removed or changed since.
/// </summary>
internal sealed class ScriptInputs(string root)
{
    /// <summary>The compiled script, where <c>dotnet build</c> puts it.</summary>
    public string Compiled => Path.Combine(root, "build", "bin", "Debug", "net10.0", "_build.dll");

    private string Stamp => Path.Combine(root, "build", "obj", "krypton-inputs.txt");

    /// <summary>
    /// True when the script was compiled and nothing it depends on was added, removed or changed since.
    /// </summary>
    public bool Unchanged()
    {
        if (!File.Exists(Compiled) || !File.Exists(Stamp))
            return false;
        var stamped = File.GetLastWriteTimeUtc(Stamp);
        var files = Files().ToList();
        return List(files).SequenceEqual(File.ReadAllLines(Stamp).Order(StringComparer.Ordinal))
            && files.All(f => File.GetLastWriteTimeUtc(f) <= stamped);
    }

    /// <summary>Records the inputs of the script just compiled.</summary>
    public void Record() => File.WriteAllLines(Stamp, List(Files()));

    /// <summary>Forgets them, so the next run compiles (after a failed compile).</summary>
    public void Forget() => File.Delete(Stamp);

    /// <summary>The stamp's lines: the files and the package folder, sorted as build.sh sorts them.</summary>
    private static List<string> List(IEnumerable<string> files) =>
        [
            .. files
                .Append($"packages: {Environment.GetEnvironmentVariable("KRYPTON_PACKAGES")}")
                .Order(StringComparer.Ordinal),
        ];

    private IEnumerable<string> Files() =>
        BuildFolderFiles(Path.Combine(root, "build"))
            .Concat(Json(Path.Combine(root, ".krypton")))
            .Concat(Json(Path.Combine(root, "AuxiliaryFiles")))
            .Concat(RootSettings());

    private static IEnumerable<string> BuildFolderFiles(string folder) =>
        Directory
            .EnumerateFileSystemEntries(folder)
            .Where(e => Path.GetFileName(e) is not ("bin" or "obj"))
            .SelectMany(e => Directory.Exists(e) ? BuildFolderFiles(e) : [e]);

    private static IEnumerable<string> Json(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.json") : [];

    private IEnumerable<string> RootSettings() =>
        Directory
            .EnumerateFileSystemEntries(root)
            .Where(e =>
                Path.GetFileName(e) is var name
                && (
                    name.StartsWith("Directory.Build.", StringComparison.Ordinal)
                    || name == "global.json"
                    || name.Equals("nuget.config", StringComparison.OrdinalIgnoreCase)
                )
            );
}
