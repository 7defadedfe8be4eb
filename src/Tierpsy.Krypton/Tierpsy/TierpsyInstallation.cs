using System.Text.RegularExpressions;
using Tierpsy.Krypton.Text;

namespace Tierpsy.Krypton.Tierpsy;

/// <summary>One step of Setup: a shell command for the login node, and what to do when it fails.</summary>
/// <param name="Name">What the step does, as progress lines show it.</param>
/// <param name="Command">The command; prints <see cref="TierpsyInstallation.AlreadyDone"/> when it had no work.</param>
/// <param name="Advice">What to do when it fails.</param>
internal sealed record InstallStep(string Name, string Command, string Advice);

/// <summary>Where and how Setup installs Tierpsy on the cluster.</summary>
/// <param name="Manager">conda or venv.</param>
/// <param name="Environment">The conda environment's name, or the venv's folder in <see cref="VenvFolder"/>.</param>
/// <param name="Modules">Shell lines run first in every step (<c>module load Anaconda3</c>).</param>
/// <param name="SourceFolder">Tierpsy's source on the cluster, installed with <c>pip install -e</c>.</param>
/// <param name="Repository">The git repository to clone; null when the source is uploaded instead.</param>
/// <param name="Ref">The commit (or tag) to check out.</param>
/// <param name="Requirements">The environment file (conda) or requirements file (venv) on the cluster.</param>
/// <param name="VenvFolder">The folder that holds virtual environments (venv only).</param>
internal sealed record InstallOptions(
    EnvironmentManager Manager,
    string Environment,
    IReadOnlyList<string> Modules,
    string SourceFolder,
    string? Repository,
    string Ref,
    string Requirements,
    string VenvFolder
)
{
    /// <summary>The virtual environment's folder (venv only).</summary>
    public string Venv => RemotePath.Combine(VenvFolder, Environment);
}

/// <summary>
/// The manual's first-time installation of Tierpsy on a cluster (load modules, create the environment, get the source,
/// <c>pip install -e</c>), as shell commands that are each safe to run again: a step whose work is already done says
/// so and changes nothing.
/// </summary>
internal static partial class TierpsyInstallation
{
    /// <summary>The line a step prints when it found its work done.</summary>
    public const string AlreadyDone = "krypton-setup: already done";

    /// <summary>Tierpsy 1.5.3a: upstream commit ca1a4c5 (2022-05-09).</summary>
    public const string PinnedRef = "ca1a4c5";

    /// <summary>Tierpsy's upstream repository.</summary>
    public const string UpstreamRepository = "https://github.com/Tierpsy/tierpsy-tracker.git";

    /// <summary>The project file Setup copies up for each manager, below the project root.</summary>
    public static string RequirementsFile(EnvironmentManager manager) =>
        manager == EnvironmentManager.Conda ? ".krypton/tierpsy-environment.yml" : ".krypton/tierpsy-requirements.txt";

    /// <summary>
    /// Prints where <c>tierpsy_process</c> is and Tierpsy's version after the setup lines; fails when it is not found.
    /// </summary>
    public static string CheckCommand(IEnumerable<string> setupLines) =>
        string.Join("\n", setupLines)
        + "\ncommand -v tierpsy_process && "
        + "python -c 'import tierpsy; print(getattr(tierpsy, \"__version__\", \"(version unknown)\"))' < /dev/null";

    /// <summary>
    /// The line that best says why a step failed: the last line of its error output that names an error, else the last
    /// line of its error output, else of its output.
    /// </summary>
    public static string FailingLine(string output, string error)
    {
        static string[] Lines(string text) =>
            text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = Lines(error);
        string[] signs = ["error", "fatal", "not found", "notfound", "unknown", "failed", "cannot", "could not"];
        var index = Array.FindLastIndex(errors, l => signs.Any(s => l.Contains(s, StringComparison.OrdinalIgnoreCase)));
        if (index < 0)
            return errors.LastOrDefault() ?? Lines(output).LastOrDefault() ?? "(no output)";
        // "ResolvePackageNotFound:" names the packages on the lines after it.
        return errors[index].EndsWith(':') ? string.Join(" ", errors.Skip(index).Take(4)).Trim() : errors[index];
    }

    /// <summary>Whether a shell line activates a Python environment (conda's or a venv's activate).</summary>
    public static bool Activates(string line) => ActivateLine().IsMatch(line);

    [GeneratedRegex(@"^\s*(?:(?:source|\.)\s+\S*activate\b|conda\s+activate\b)")]
    private static partial Regex ActivateLine();

    /// <summary>The lines that make the installed <c>tierpsy_process</c> available (what TierpsySetup needs).</summary>
    public static IReadOnlyList<string> ActivationLines(InstallOptions o) => [.. o.Modules, Activate(o)];

    /// <summary>The steps in order. With an uploaded source (no repository) the source step is left out.</summary>
    public static IReadOnlyList<InstallStep> Steps(InstallOptions o) =>
        new[] { ManagerStep(o), EnvironmentStep(o), o.Repository is null ? null : SourceStep(o), InstallStep(o) }
            .OfType<InstallStep>()
            .ToList();

    private static string Activate(InstallOptions o) =>
        o.Manager == EnvironmentManager.Conda
            ? $"source activate {ShellQuote.Word(o.Environment)}"
            : $"source {ShellQuote.Path(RemotePath.Combine(o.Venv, "bin", "activate"))}";

    /// <summary>The module lines, each ending the step when it fails (an unknown module), then the lines.</summary>
    private static string Script(InstallOptions o, params string[] lines) =>
        string.Join("\n", o.Modules.Select(m => $"{m} || exit").Concat(lines));

    private static InstallStep ManagerStep(InstallOptions o) =>
        o.Manager == EnvironmentManager.Conda
            ? new(
                "find conda",
                Script(
                    o,
                    "command -v conda || { echo 'conda: command not found after the module lines' >&2; exit 127; }",
                    "conda --version"
                ),
                "Set --setup-modules to the lines that load conda on this cluster (`module avail` lists the modules), "
                    + "or use --environment-manager venv."
            )
            : new(
                "find Python 3.6 to 3.9",
                Script(
                    o,
                    "command -v python3 || { echo 'python3: command not found after the module lines' >&2; exit 127; }",
                    "python3 -c 'import sys; v = sys.version_info[:2]; print(\"Python %d.%d\" % v); "
                        + "sys.exit(0 if (3, 6) <= v < (3, 10) else 3)' "
                        + "|| { echo 'error: Tierpsy 1.5.3a needs Python 3.6 to 3.9' >&2; exit 3; }"
                ),
                "Set --setup-modules to lines that load a Python 3.6 to 3.9 (`module avail python` lists them); newer "
                    + "Pythons lack names Tierpsy 1.5.3a uses (collections.Iterable, numpy.int)."
            );

    private static InstallStep EnvironmentStep(InstallOptions o)
    {
        var requirements = ShellQuote.Path(o.Requirements);
        if (o.Manager == EnvironmentManager.Conda)
        {
            var name = ShellQuote.Word(o.Environment);
            return new(
                $"create the conda environment {o.Environment} (conda solves for minutes)",
                Script(
                    o,
                    $"if conda env list | awk -v name={name} '$1 == name {{ found = 1 }} END {{ exit !found }}'; then",
                    $"  echo '{AlreadyDone}'",
                    "else",
                    $"  conda env create --name {name} --file {requirements}",
                    "fi"
                ),
                $"Read the quoted line. A package conda cannot find: fix {RequirementsFile(o.Manager)} and run Setup "
                    + $"again. An environment left half made: 'conda env remove --name {o.Environment}' on the "
                    + "cluster, then Setup again."
            );
        }
        var venv = ShellQuote.Path(o.Venv);
        return new(
            $"create the virtual environment {o.Venv} and install the requirements",
            Script(
                o,
                $"if [ -x {venv}/bin/python ]; then",
                $"  echo '{AlreadyDone}'",
                "else",
                $"  python3 -m venv {venv}",
                "fi &&",
                $"{venv}/bin/pip install -r {requirements}"
            ),
            $"Read the quoted line. A requirement pip cannot find or build: fix {RequirementsFile(o.Manager)} and run "
                + "Setup again (pip keeps what it installed)."
        );
    }

    private static InstallStep SourceStep(InstallOptions o)
    {
        var (folder, wanted) = (ShellQuote.Path(o.SourceFolder), ShellQuote.Word(o.Ref + "^{commit}"));
        return new(
            $"get Tierpsy's source at {o.Ref} into {o.SourceFolder}",
            Script(
                o,
                $"if [ -d {folder}/.git ] && [ \"$(git -C {folder} rev-parse -q --verify HEAD)\" = "
                    + $"\"$(git -C {folder} rev-parse -q --verify {wanted})\" ]; then",
                $"  echo '{AlreadyDone}'",
                "else",
                $"  {{ [ -d {folder}/.git ] || git clone {ShellQuote.Word(o.Repository!)} {folder}; }} &&",
                $"  {{ git -C {folder} rev-parse -q --verify {wanted} >/dev/null || "
                    + $"git -C {folder} fetch origin; }} &&",
                $"  git -C {folder} checkout -q {ShellQuote.Word(o.Ref)}",
                "fi"
            ),
            $"Check --tierpsy-repository and --tierpsy-ref. A cluster without internet: give a local copy with "
                + $"--tierpsy-source <folder>. A folder {o.SourceFolder} that is not a clone: move it away first."
        );
    }

    private static InstallStep InstallStep(InstallOptions o)
    {
        var folder = ShellQuote.Path(o.SourceFolder);
        return new(
            $"install Tierpsy into {o.Environment} (pip install -e)",
            Script(
                o,
                $"{Activate(o)} || exit",
                "if command -v tierpsy_process >/dev/null && python -c 'import os, sys, tierpsy; "
                    + "sys.exit(not os.path.realpath(tierpsy.__file__).startswith(os.path.realpath(sys.argv[1]) + "
                    + $"os.sep))' {folder} 2>/dev/null; then",
                $"  echo '{AlreadyDone}'",
                "else",
                // Without build isolation: Tierpsy's setup.py imports numpy and Cython from the environment, and a
                // cluster without internet could not fetch an isolated build's tools.
                $"  cd {folder} && pip install --no-build-isolation -e .",
                "fi"
            ),
            "Read the quoted line: a compiler or a package missing from the environment is the usual cause. Fix "
                + $"{RequirementsFile(o.Manager)} (or load a compiler with --setup-modules), then run Setup again."
        );
    }
}
