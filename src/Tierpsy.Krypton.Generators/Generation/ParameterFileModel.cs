namespace Tierpsy.Krypton.Generators.Generation;

/// <summary>A parameter file as TierpsyParams presents it.</summary>
/// <param name="Name">The C# name of its property.</param>
/// <param name="RelativePath">Its path below the project root, with '/'.</param>
/// <param name="Values">One typed property per recognised key.</param>
internal sealed record ParameterFileModel(string Name, string RelativePath, EquatableArray<ParameterValueModel> Values);

/// <summary>One key of a parameter file: C# name, type and literal, its JSON key and what it means.</summary>
internal sealed record ParameterValueModel(string Name, string Type, string Literal, string Key, string Description);
