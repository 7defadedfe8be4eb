using System.Collections;
using Microsoft.Build.Framework;
using Microsoft.CodeAnalysis;
using Tierpsy.Krypton.Generators.Build;
using Tierpsy.Krypton.Tasks;
using Tierpsy.Krypton.TestSupport;

namespace Tierpsy.Krypton.Generators.Tests;

/// <summary>
/// The MSBuild task that writes .krypton/parameters.schema.json from the schema the generator compiled into the build.
/// </summary>
public class ParameterSchemaTaskTests
{
    [Fact]
    public void The_schema_compiled_into_the_build_is_written_once_and_then_only_touched()
    {
        using var folder = new TempDirectory();
        var (_, output) = new GeneratorDriverHarness().Run();
        var assembly = Path.Combine(folder.Path, "Build.dll");
        var emitted = output.Emit(assembly, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var schemaFile = Path.Combine(folder.Path, ".krypton", "parameters.schema.json");

        Assert.True(Task(assembly, schemaFile).Execute());
        var written = File.ReadAllText(schemaFile);
        Assert.Contains("\"Plates\": { \"description\": \"Plates imaged per day\", \"type\":\"integer\" }", written);
        File.SetLastWriteTimeUtc(schemaFile, DateTime.UnixEpoch);

        Assert.True(Task(assembly, schemaFile).Execute());
        Assert.Equal(written, File.ReadAllText(schemaFile));
        Assert.True(
            File.GetLastWriteTimeUtc(schemaFile) > DateTime.UnixEpoch,
            "an unchanged schema is touched, so the target's inputs and outputs stay up to date"
        );
    }

    [Fact]
    public void A_missing_assembly_or_a_build_without_parameters_writes_nothing_and_does_not_fail_the_build()
    {
        using var folder = new TempDirectory();
        var schemaFile = Path.Combine(folder.Path, "parameters.schema.json");

        Assert.True(Task(Path.Combine(folder.Path, "missing.dll"), schemaFile).Execute());
        Assert.True(Task(typeof(ParameterSchemaTaskTests).Assembly.Location, schemaFile).Execute());
        Assert.False(File.Exists(schemaFile));
    }

    [Fact]
    public void The_task_reads_the_key_the_generator_writes() =>
        Assert.Equal(ParameterSchemaWriter.MetadataKey, WriteParameterSchema.MetadataKey);

    private static WriteParameterSchema Task(string assembly, string schemaFile) =>
        new()
        {
            Assembly = assembly,
            SchemaFile = schemaFile,
            BuildEngine = new Engine(),
        };

    private sealed class Engine : IBuildEngine
    {
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "Build.csproj";

        public bool BuildProjectFile(
            string projectFileName,
            string[] targetNames,
            IDictionary globalProperties,
            IDictionary targetOutputs
        ) => true;

        public void LogCustomEvent(CustomBuildEventArgs e) { }

        public void LogErrorEvent(BuildErrorEventArgs e) => Assert.Fail(e.Message);

        public void LogMessageEvent(BuildMessageEventArgs e) { }

        public void LogWarningEvent(BuildWarningEventArgs e) => Assert.Fail(e.Message);
    }
}
