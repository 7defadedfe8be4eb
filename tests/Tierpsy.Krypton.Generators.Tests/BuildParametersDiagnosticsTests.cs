using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Tierpsy.Krypton.Generators.Tests;

/// <summary>
/// Unknown keys in .krypton/parameters.json are build errors at their line, compared with the build's own parameters.
/// </summary>
public class BuildParametersDiagnosticsTests
{
    private const string File = GeneratorTest.Root + "/.krypton/parameters.json";

    [Fact]
    public async Task Unknown_keys_are_errors_with_a_suggestion_while_inherited_own_and_schema_keys_pass()
    {
        const string json = """
            {
              "$schema": "./parameters.schema.json",
              "Host": "krypton.example.org",
              "remote-root": "~/tierpsy_demo",
              "Walltme": "30:00:00",
              "Plates": 6,
              "Colour": "blue"
            }
            """;
        var test = new GeneratorTest().WithBuildParameters(json);
        test.ExpectedDiagnostics.Add(
            new DiagnosticResult("KRY006", DiagnosticSeverity.Error)
                .WithSpan(File, 5, 3, 5, 12)
                .WithArguments(
                    "\"Walltme\" is not a parameter of this build, so the build would stop before any target runs. "
                        + "Did you mean \"Walltime\"? './build.sh --help' lists the parameters."
                )
        );
        test.ExpectedDiagnostics.Add(
            new DiagnosticResult("KRY006", DiagnosticSeverity.Error).WithSpan(File, 7, 3, 7, 11)
        );
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_profile_file_is_checked_too_with_comments_and_trailing_commas_allowed_as_the_build_allows_them()
    {
        var test = new GeneratorTest().WithBuildParameters(
            "{\n  // short queue\n  \"Queue\": \"short\",\n  \"Cpus\": 4,\n  \"Days\": [\"20210504\",],\n}\n",
            "parameters.fast.json"
        );
        await test.RunAsync(TestContext.Current.CancellationToken);

        test = new GeneratorTest().WithBuildParameters(
            "{\n  \"Queue\": \"short\"\n  \"Cpus\": 4\n}\n",
            "parameters.fast.json"
        );
        test.ExpectedDiagnostics.Add(
            new DiagnosticResult("KRY007", DiagnosticSeverity.Error).WithSpan(
                GeneratorTest.Root + "/.krypton/parameters.fast.json",
                3,
                3,
                3,
                4
            )
        );
        await test.RunAsync(TestContext.Current.CancellationToken);
    }
}
