variable "name" {
  type = string
}

variable "region" {
  type = string
}

variable "image" {
  type = string
}

variable "desired_count" {
  type = number
}

variable "vpc_id" {
  type = string
}

variable "public_subnet_ids" {
  type = list(string)
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "certificate_arn" {
  type = string
}

variable "redis_url" {
  type = string
}

variable "secret_arns" {
  description = "Environment variable name -> Secrets Manager ARN"
  type        = map(string)
  default     = {}
}
