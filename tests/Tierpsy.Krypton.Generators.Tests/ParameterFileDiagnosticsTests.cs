using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Generators.Tests;

/// <summary>
/// Diagnostics on Tierpsy parameter files: the shared cookiecutter files and hand-made faults, each at its line and
/// column.
/// </summary>
public class ParameterFileDiagnosticsTests
{
    private const string File = GeneratorTest.Root + "/AuxiliaryFiles/params.json";

    private static DiagnosticResult At(
        string id,
        DiagnosticSeverity severity,
        int line,
        int column,
        int endLine,
        int endColumn
    ) => new DiagnosticResult(id, severity).WithSpan(File, line, column, endLine, endColumn);

    [Fact]
    public async Task The_2022_cookiecutter_file_is_clean_but_for_the_note_that_it_needs_Tierpsy_from_2022()
    {
        var json = Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20220310.json");
        var test = new GeneratorTest().WithParameterFile("params.json", json);
        var line =
            json.Split('\n').ToList().FindIndex(l => l.Contains("\"MWP_mapping\"", StringComparison.Ordinal)) + 1;
        var column = json.Split('\n')[line - 1].IndexOf('"', StringComparison.Ordinal) + 1;
        test.ExpectedDiagnostics.Add(
            At("KRY011", DiagnosticSeverity.Info, line, column, line, column + "\"MWP_mapping\"".Length)
        );
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_2020_cookiecutter_file_warns_about_the_key_Tierpsy_1_5_3a_rejects_and_the_old_multiwell_keys()
    {
        var json = Fixtures.Read("params/loopbio_rig_96WP_splitFOV_NN_20200526.json");
        var lines = json.Split('\n');
        var test = new GeneratorTest().WithParameterFile("params.json", json);
        foreach (
            var (key, id, severity) in new[]
            {
                ("MWP_well_masked_edge", "KRY005", DiagnosticSeverity.Warning),
                ("MWP_total_n_wells", "KRY008", DiagnosticSeverity.Warning),
                ("MWP_whichsideup", "KRY008", DiagnosticSeverity.Warning),
                ("MWP_well_shape", "KRY008", DiagnosticSeverity.Warning),
            }
        )
        {
            var line = Array.FindIndex(lines, l => l.Contains($"\"{key}\"", StringComparison.Ordinal)) + 1;
            var column = lines[line - 1].IndexOf('"', StringComparison.Ordinal) + 1;
            test.ExpectedDiagnostics.Add(At(id, severity, line, column, line, column + key.Length + 2));
        }
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Each_fault_is_reported_where_it_is_and_all_of_them_at_once()
    {
        const string json = """
            {
              "mask_min_aera": 50,
              "expected_fps": "25",
              "worm_bw_thresh_factor": 1.05,
              "strel_size": 2.5,
              "analysis_type": "WORM",
              "ventral_side": "left",
              "analysis_checkpoints": ["COMPRESS", "SKE_CREAT", "FOOD_CNT"],
              "fps": 25,
              "is_light_background": true,
              "is_light_background": false
            }
            """;
        var test = new GeneratorTest().WithParameterFile("params.json", json);
        test.ExpectedDiagnostics.AddRange([
            At("KRY001", DiagnosticSeverity.Error, 2, 3, 2, 18)
                .WithArguments(
                    "\"mask_min_aera\" is not a Tierpsy 1.5.3a parameter, so every job would stop with: "
                        + "Parameter \"mask_min_aera\" is not a valid parameter. Did you mean \"mask_min_area\"? "
                        + "The accepted keys are listed in docs/tierpsy-parameters.md of KryptonTemplates."
                ),
            At("KRY002", DiagnosticSeverity.Error, 3, 19, 3, 23),
            At("KRY002", DiagnosticSeverity.Error, 5, 17, 5, 20),
            At("KRY008", DiagnosticSeverity.Warning, 6, 20, 6, 26),
            At("KRY003", DiagnosticSeverity.Error, 7, 19, 7, 25),
            At("KRY004", DiagnosticSeverity.Error, 8, 40, 8, 51),
            At("KRY009", DiagnosticSeverity.Warning, 8, 53, 8, 63),
            At("KRY008", DiagnosticSeverity.Warning, 9, 3, 9, 8),
            At("KRY010", DiagnosticSeverity.Warning, 11, 3, 11, 24),
        ]);
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Broken_json_is_reported_at_the_character_where_it_breaks()
    {
        const string json = "{\n  \"mask_min_area\": 50,\n  \"mask_max_area\": 100\n  \"thresh_C\": 15\n}\n";
        var test = new GeneratorTest().WithParameterFile("params.json", json);
        test.ExpectedDiagnostics.Add(At("KRY007", DiagnosticSeverity.Error, 4, 3, 4, 4));
        await test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public void The_embedded_parameter_table_is_the_fixtures_one()
    {
        using var stream = typeof(TierpsyParamsGenerator).Assembly.GetManifestResourceStream("tracker-parameters.tsv")!;
        Assert.Equal(Fixtures.Read("tracker-parameters.tsv"), new StreamReader(stream).ReadToEnd());
    }
}
